using System.Net;
using DemoHealthPlan.Sandbox.Fhir;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using Hl7.Fhir.Model;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

/// <summary>
/// Each FHIR variation: the sandbox answers differently, but what it serves stays the same resources with the same
/// versions (compare <see cref="FhirHttpTests"/>); a variation never breaks a rule.
/// </summary>
public class FhirVariationTests
{
    [Test, VariationTest("searchset-outcome-entry")]
    public void Searchset_outcome_entry_adds_one_OperationOutcome_marked_outcome_and_leaves_the_matches_alone()
    {
        var plain = new DirectFhir().Search("jason-argonaut", "Coverage", "_include=Coverage:payor");
        var varied = new DirectFhir(variations: ["searchset-outcome-entry"]).Search("jason-argonaut", "Coverage", "_include=Coverage:payor");

        var outcomes = varied.Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Outcome).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(outcomes, Has.Count.EqualTo(1));
            Assert.That(outcomes[0].Resource, Is.TypeOf<OperationOutcome>());
            Assert.That(((OperationOutcome)outcomes[0].Resource!).Issue.Single().Severity, Is.EqualTo(OperationOutcome.IssueSeverity.Information));
            Assert.That(DirectFhir.Matches(varied), Is.EqualTo(DirectFhir.Matches(plain)));
            Assert.That(DirectFhir.Included(varied), Is.EqualTo(DirectFhir.Included(plain)));
            Assert.That(varied.Total, Is.EqualTo(plain.Total), "the outcome entry is not counted as a match");
        });
    }

    [Test, VariationTest("read-differs-in-meta-tag")]
    public async System.Threading.Tasks.Task Read_differs_in_meta_tag_tags_reads_only_and_keeps_id_version_and_last_updated()
    {
        await using var sandbox = await TestSandbox.StartAsync(settings: VariationTests.Settings("read-differs-in-meta-tag"));
        using var jason = new FhirHttp(sandbox.Endpoints.FhirBaseUrl, (await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut)).AccessToken);

        var searched = (await jason.GetAsync("Coverage?_id=coverage-jason-medical")).Bundle.Entry.Single().Resource!;
        var read = await jason.GetAsync("Coverage/coverage-jason-medical");

        Assert.That(read.Status, Is.EqualTo(HttpStatusCode.OK));
        var resource = read.Resource;
        Assert.Multiple(() =>
        {
            Assert.That(searched.Meta?.Tag ?? [], Is.Empty);
            Assert.That(resource.Meta!.Tag.Select(t => $"{t.System}|{t.Code}"), Is.EqualTo(new[] { "http://terminology.hl7.org/CodeSystem/common-tags|actionable" }));
            Assert.That(resource.Id, Is.EqualTo(searched.Id));
            Assert.That(resource.Meta.VersionId, Is.EqualTo(searched.Meta!.VersionId));
            Assert.That(resource.Meta.LastUpdated, Is.EqualTo(searched.Meta.LastUpdated));
            Assert.That(resource.IsExactly(searched), Is.False, "the copies differ, in the tag only");
        });
    }

    [Test, VariationTest("cost-as-extension")]
    public void Cost_as_extension_gives_every_cost_as_the_BeneficiaryCostString_extension_and_nothing_else_changes()
    {
        var plain = new DirectFhir().Search("jason-argonaut", "Coverage", "_id=coverage-jason-medical").Entry.Single().Resource as Coverage;
        var varied = new DirectFhir(variations: ["cost-as-extension"]).Search("jason-argonaut", "Coverage", "_id=coverage-jason-medical").Entry.Single().Resource as Coverage;

        var costs = varied!.CostToBeneficiary.Select(c => (Money)c.Value).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(plain!.CostToBeneficiary.Any(c => c.Value is Money { Value: 25m, Currency: Money.Currencies.USD }), Is.True, "the shipped data has amounts");
            Assert.That(costs, Has.Count.EqualTo(plain.CostToBeneficiary.Count));
            Assert.That(costs.All(m => m.Value is null && m.Currency is null), Is.True, "no side of the invariant but the extension");
            Assert.That(costs.Select(m => m.GetStringExtension(Sandbox.Fhir.Variations.ServedResourceVariations.BeneficiaryCostStringUrl)), Does.Contain("$25.00"));
            Assert.That(costs.All(m => m.Extension.Count(e => e.Url == Sandbox.Fhir.Variations.ServedResourceVariations.BeneficiaryCostStringUrl) == 1), Is.True);
            Assert.That(varied.CostToBeneficiary.Select(c => c.Type!.Coding[0].Code), Is.EqualTo(plain.CostToBeneficiary.Select(c => c.Type!.Coding[0].Code)));
            varied.CostToBeneficiary.Clear();
            plain.CostToBeneficiary.Clear();
            Assert.That(varied.IsExactly(plain), Is.True, "only the costs differ");
        });
    }

    [Test, VariationTest("other-member-organization-readable")]
    public void Other_member_organization_readable_opens_every_Organization_and_nothing_else()
    {
        var fhir = new DirectFhir(variations: ["other-member-organization-readable"]);
        var jason = DirectFhir.Caller("jason-argonaut");

        Assert.Multiple(() =>
        {
            Assert.That(fhir.Api.Read(jason, "Organization", "great-lakes-vision-plan").Status, Is.EqualTo(200), "Amy's vision payor, which Jason's Coverages do not name");
            Assert.That(DirectFhir.Matches(fhir.Search("jason-argonaut", "Organization")),
                Is.EquivalentTo(new[] { "demo-health-plan", "demo-dental-partners", "great-lakes-vision-plan" }));
        });
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<FhirProblem>(() => fhir.Api.Read(jason, "Patient", "amy-shaw"))!.Status, Is.EqualTo(404));
            Assert.That(Assert.Throws<FhirProblem>(() => fhir.Api.Read(jason, "Coverage", "coverage-amy-vision"))!.Status, Is.EqualTo(404));
            Assert.That(DirectFhir.Matches(fhir.Search("jason-argonaut", "Coverage")), Is.EquivalentTo(FhirTestData.JasonCoverages));
            Assert.That(DirectFhir.Matches(fhir.Search("jason-argonaut", "Patient")), Is.EqualTo(new[] { "jason-argonaut" }));
            Assert.That(DirectFhir.Included(fhir.Search("jason-argonaut", "Coverage", "_include=Coverage:payor")),
                Is.EquivalentTo(new[] { "Organization/demo-health-plan", "Organization/demo-dental-partners" }), "_include still follows the member's Coverages");
        });
        Assert.That(() => new DirectFhir().Api.Read(jason, "Organization", "great-lakes-vision-plan"), Throws.TypeOf<FhirProblem>(), "without the variation it stays out of reach");
    }

    [Test, VariationTest("patient-without-gender")]
    public void Patient_without_gender_serves_data_minimized_Patients_claiming_only_C4DIC()
    {
        var plain = (Patient)new DirectFhir().Search("jason-argonaut", "Patient").Entry.Single().Resource!;
        var varied = (Patient)new DirectFhir(variations: ["patient-without-gender"]).Search("jason-argonaut", "Patient").Entry.Single().Resource!;

        Assert.Multiple(() =>
        {
            Assert.That(plain.Gender, Is.Not.Null, "the shipped Patient has a gender");
            Assert.That(plain.Meta!.Profile, Does.Contain(Sandbox.Fhir.Variations.ServedResourceVariations.UsCorePatientProfile));
            Assert.That(varied.Gender, Is.Null);
            Assert.That(varied.Meta!.Profile, Is.EqualTo(new[] { "http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Patient" }));
            varied.Gender = plain.Gender;
            varied.Meta.Profile = plain.Meta.Profile;
            Assert.That(varied.IsExactly(plain), Is.True, "nothing else changes");
        });
    }
}
