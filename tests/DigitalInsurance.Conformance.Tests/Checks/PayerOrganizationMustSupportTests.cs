using System.Text.Json.Nodes;
using DigitalInsurance.Conformance.Support.Reporting;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Validation;
using DigitalInsurance.Conformance.Tests.Resources;
using DigitalInsurance.Conformance.Tests.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Checks;

/// <summary>
/// Issue #13: slices a payer cannot have are not counted. US Core Organization's identifier:NPI (Must Support) and
/// identifier:CLIA identify providers and laboratories; an Organization some Coverage names as payor, or typed pay,
/// is a payer and cannot populate them. Any other Organization still has to.
/// </summary>
public sealed class PayerOrganizationMustSupportTests
{
    private const string C4dicOrganization = "http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Organization";
    private const string UsCoreOrganization = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-organization";
    private static readonly FhirJsonDeserializer Parser = new();
    private static readonly IReadOnlySet<string> DemoHealthPlanIsPayor = new HashSet<string> { "Organization/demo-health-plan" };

    private ConformanceValidator _validator = null!;

    [OneTimeSetUp]
    public async System.Threading.Tasks.Task LoadValidator() => _validator = await ValidationTestEnvironment.SharedValidator("1.0.0");

    /// <summary>The sandbox's payer with every Must Support element, its NPI identifier removed.</summary>
    private static JsonObject PayerWithoutNpi()
    {
        var organization = SandboxData.Resource("Organization/demo-health-plan");
        var identifiers = organization["identifier"]!.AsArray();
        identifiers.Remove(identifiers.Single(i => i!["system"]?.GetValue<string>() == "http://hl7.org/fhir/sid/us-npi"));
        return organization;
    }

    private static Resource Parse(JsonObject json) => Parser.DeserializeResource(json.ToJsonString());

    private static MustSupportElement Element(MustSupportReport report, string elementId) =>
        report.Elements.SingleOrDefault(e => e.ElementId == elementId) ?? throw new AssertionException($"{elementId} is not a Must Support element:{Environment.NewLine}{report.ToText()}");

    [TestCase(C4dicOrganization)]
    [TestCase(UsCoreOrganization)]
    public void A_coverages_payor_without_an_npi_has_the_npi_slice_not_applicable(string profile)
    {
        var report = _validator.AnalyzeMustSupport(profile, [Parse(PayerWithoutNpi())], DemoHealthPlanIsPayor);

        Assert.Multiple(() =>
        {
            Assert.That(Element(report, "Organization.identifier:NPI").Counted, Is.False);
            Assert.That(Element(report, "Organization.identifier:NPI").NotApplicable, Does.Contain("health care provider"));
            Assert.That(report.NotPopulated.Select(e => e.ElementId), Is.Empty, report.ToText());
            Assert.That(report.Summary, Does.EndWith("(1 not applicable)"));
            Assert.That(report.ToText(), Does.Contain("Organization.identifier:NPI (0 of 1) — not applicable: an NPI identifies a health care provider"));
        });
    }

    [Test]
    public void An_organization_typed_pay_is_a_payer_without_being_named_as_payor()
    {
        var organization = PayerWithoutNpi();
        organization["type"] = JsonNode.Parse("""[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/organization-type","code":"pay"}]}]""");

        var report = _validator.AnalyzeMustSupport(C4dicOrganization, [Parse(organization)]);

        Assert.That(Element(report, "Organization.identifier:NPI").Counted, Is.False);
    }

    [Test]
    public void An_organization_that_is_no_payer_still_has_to_populate_the_npi_slice()
    {
        var report = _validator.AnalyzeMustSupport(C4dicOrganization, [Parse(PayerWithoutNpi())], new HashSet<string>());

        Assert.Multiple(() =>
        {
            Assert.That(Element(report, "Organization.identifier:NPI").Counted, Is.True);
            Assert.That(report.NotPopulated.Select(e => e.ElementId), Is.EqualTo(new[] { "Organization.identifier:NPI" }));
        });
    }

    [Test]
    public void Beside_an_organization_that_is_no_payer_the_npi_slice_counts()
    {
        var provider = PayerWithoutNpi();
        provider["id"] = "demo-clinic";

        var report = _validator.AnalyzeMustSupport(C4dicOrganization, [Parse(PayerWithoutNpi()), Parse(provider)], DemoHealthPlanIsPayor);

        Assert.That(report.NotPopulated.Select(e => e.ElementId), Is.EqualTo(new[] { "Organization.identifier:NPI" }));
    }

    [Test]
    public void A_payer_that_does_send_an_npi_populates_the_slice()
    {
        var report = _validator.AnalyzeMustSupport(C4dicOrganization, [Parse(SandboxData.Resource("Organization/demo-health-plan"))], DemoHealthPlanIsPayor);

        Assert.That(Element(report, "Organization.identifier:NPI"), Has.Property(nameof(MustSupportElement.Populated)).True.And.Property(nameof(MustSupportElement.Counted)).True);
    }

    [Test]
    public void The_must_support_verdict_on_a_payor_without_an_npi_passes()
    {
        var evidence = new ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, ["req:c4dic-must-support"], RequirementPolicy.Default));

        var reports = new MustSupportRules(check).RequireEveryElementPopulated(_validator, evidence, "Organization", [Parse(PayerWithoutNpi())], DemoHealthPlanIsPayor);

        Assert.Multiple(() =>
        {
            Assert.That(reports, Has.Count.EqualTo(2), "C4DIC-Organization and US Core Organization");
            Assert.That(System.Text.Encoding.UTF8.GetString(evidence.All.First(e => e.Title.StartsWith("Must Support:")).Content), Does.Contain("not applicable"));
        });
    }

    [Test]
    public void The_must_support_verdict_on_an_organization_no_coverage_names_skips_naming_the_npi_slice()
    {
        var evidence = new ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, ["req:c4dic-must-support"], RequirementPolicy.Default));

        var skipped = Assert.Throws<IgnoreException>(() => new MustSupportRules(check).RequireEveryElementPopulated(_validator, evidence, "Organization", [Parse(PayerWithoutNpi())], new HashSet<string>()));

        Assert.That(skipped!.Message, Does.Contain("Organization.identifier:NPI"));
    }
}
