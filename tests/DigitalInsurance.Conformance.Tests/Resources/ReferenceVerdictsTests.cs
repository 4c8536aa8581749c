using System.Text.Json.Nodes;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.Reporting;
using DigitalInsurance.Conformance.Support.Validation;
using DigitalInsurance.Conformance.Tests.Validation;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Resources;

/// <summary>The reference verdict: resolved, of an allowed type, meeting the element's target profiles; otherwise named.</summary>
public sealed class ReferenceVerdictsTests
{
    private const string Base = "http://fhir.test/r4/";
    private static readonly string[] Tags = ["req:c4dic-reference-resolution"];
    private ConformanceValidator _validator = null!;

    [OneTimeSetUp]
    public async System.Threading.Tasks.Task LoadValidator() => _validator = await ValidationTestEnvironment.SharedValidator("1.0.0");

    private static Dictionary<string, string> Served()
    {
        var nameless = SandboxData.Resource("Organization/demo-health-plan");
        nameless["id"] = "nameless";
        nameless.Remove("name");
        return new Dictionary<string, string>
        {
            ["/r4/Patient/jason-argonaut"] = SandboxData.Resource("Patient/jason-argonaut").ToJsonString(),
            ["/r4/Organization/demo-health-plan"] = SandboxData.Resource("Organization/demo-health-plan").ToJsonString(),
            ["/r4/Organization/nameless"] = nameless.ToJsonString(),
        };
    }

    private static async System.Threading.Tasks.Task<IReadOnlyList<ResolvedReference>> Follow(string element, Action<JsonObject>? change = null)
    {
        using var http = new HttpClient(new ReferenceResolverTests.FakeFhirServer(Served()));
        var fhir = new FhirConversation(new FhirApi(http, new Uri(Base)));
        var json = SandboxData.Resource("Coverage/coverage-jason-medical");
        change?.Invoke(json);
        var coverage = new ReceivedResource(ReferenceResolverTests.LenientFhir.Parse(json.ToJsonString()), json.ToJsonString(), new Uri(Base + "Coverage"));
        return await new ReferenceResolver(fhir).ResolveAllAsync([coverage], element);
    }

    [TestCase("Coverage.beneficiary")]
    [TestCase("Coverage.subscriber")]
    [TestCase("Coverage.payor")]
    public async System.Threading.Tasks.Task The_sandboxs_references_resolve_and_meet_their_target_profiles(string element)
    {
        var evidence = new ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, Tags, RequirementPolicy.Default));
        var references = await Follow(element);

        Assert.DoesNotThrow(() => new ReferenceRules(check).RequireResolvedAndConformant(_validator, evidence, element, references));
        Assert.That(evidence.All.Select(e => e.Title), Does.Contain($"References followed: {element}").And.Some.StartsWith($"Validation of {element} target "));
    }

    [Test]
    public async System.Threading.Tasks.Task A_payor_that_does_not_meet_C4DIC_Organization_fails_naming_the_reference()
    {
        var evidence = new ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, Tags, RequirementPolicy.Default));
        var references = await Follow("Coverage.payor", c => c["payor"]![0]!["reference"] = "Organization/nameless");

        var failure = Assert.Throws<ConformanceFailure>(() => new ReferenceRules(check).RequireResolvedAndConformant(_validator, evidence, "Coverage.payor", references));

        Assert.That(failure!.Message, Does.StartWith(
            "[c4dic-reference-resolution] Every Coverage.payor must resolve with the member's token to an Organization that meets C4DIC-Organization. " +
            "Observed: Coverage.payor of Coverage/coverage-jason-medical (Organization/nameless) → Organization/nameless does not meet its profiles ("));
        Assert.That(failure.Message, Does.Contain("'name'"), "the validator's finding is quoted");
    }

    [Test]
    public async System.Threading.Tasks.Task A_beneficiary_of_the_wrong_type_fails_naming_the_type_allowed()
    {
        var evidence = new ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, Tags, RequirementPolicy.Default));
        var references = await Follow("Coverage.beneficiary", c => c["beneficiary"]!["reference"] = "Organization/demo-health-plan");

        var failure = Assert.Throws<ConformanceFailure>(() => new ReferenceRules(check).RequireResolvedAndConformant(_validator, evidence, "Coverage.beneficiary", references));

        Assert.That(failure!.Message, Is.EqualTo(
            "[c4dic-reference-resolution] Every Coverage.beneficiary must resolve with the member's token to a Patient that meets C4DIC-Patient. " +
            "Observed: Coverage.beneficiary of Coverage/coverage-jason-medical (Organization/demo-health-plan) resolves to an Organization, but Coverage.beneficiary allows only Patient"));
    }

    [Test]
    public async System.Threading.Tasks.Task A_subscriber_may_be_any_Patient_or_RelatedPerson_and_an_unresolved_one_is_named()
    {
        var evidence = new ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, Tags, RequirementPolicy.Default));
        var references = await Follow("Coverage.subscriber", c => c["subscriber"]!["reference"] = "RelatedPerson/unknown");

        var failure = Assert.Throws<ConformanceFailure>(() => new ReferenceRules(check).RequireResolvedAndConformant(_validator, evidence, "Coverage.subscriber", references));

        Assert.That(failure!.Message, Is.EqualTo(
            "[c4dic-reference-resolution] Every Coverage.subscriber must resolve with the member's token to a Patient or RelatedPerson. " +
            "Observed: Coverage.subscriber of Coverage/coverage-jason-medical (RelatedPerson/unknown) is unresolved: " +
            "reading it with the member's token: GET /r4/RelatedPerson/unknown answered 404 NotFound (application/fhir+json)"));
    }

    [Test]
    public async System.Threading.Tasks.Task A_coverage_without_beneficiary_fails_and_with_policy_warn_only_warns()
    {
        var references = await Follow("Coverage.beneficiary", c => c.Remove("beneficiary"));
        var strict = new ScenarioEvidence();
        var lenient = new ScenarioEvidence();

        { var check = new Check(new CheckScope(strict, Tags, RequirementPolicy.Default)); Assert.That(() => new ReferenceRules(check).RequireResolvedAndConformant(_validator, strict, "Coverage.beneficiary", references),
                Throws.TypeOf<ConformanceFailure>().With.Message.Contains("(no reference) is unresolved: Coverage/coverage-jason-medical has no Coverage.beneficiary")); }
        { var check = new Check(new CheckScope(lenient, Tags, RequirementPolicy.Parse("c4dic-reference-resolution=warn"))); new ReferenceRules(check).RequireResolvedAndConformant(_validator, lenient, "Coverage.beneficiary", references); }

        Assert.That(lenient.Warnings, Has.Count.EqualTo(1).And.Some.StartsWith("[c4dic-reference-resolution] Every Coverage.beneficiary must resolve"));
    }
}
