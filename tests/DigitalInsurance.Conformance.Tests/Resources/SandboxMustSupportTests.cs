using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Validation;
using DigitalInsurance.Conformance.Tests.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Resources;

/// <summary>
/// The sandbox's data, as Test Member 1 (Jason Argonaut) gets it, populates every Must Support element and slice of
/// each manifest profile (sandbox/data/README.md): otherwise the harness's reference run against the clean sandbox fails.
/// </summary>
public sealed class SandboxMustSupportTests
{
    private static readonly FhirJsonDeserializer Parser = new();

    // What Jason's token gets (sandbox/data/README.md, "Patient compartments").
    private static readonly Dictionary<string, string[]> JasonsView = new()
    {
        ["Patient"] = ["Patient/jason-argonaut"],
        ["Coverage"] = ["Coverage/coverage-jason-medical", "Coverage/coverage-jason-medical-2025", "Coverage/coverage-jason-dental", "Coverage/coverage-jessica-medical"],
        ["Organization"] = ["Organization/demo-health-plan", "Organization/demo-dental-partners"],
    };

    private ConformanceValidator _validator = null!;

    [OneTimeSetUp]
    public async System.Threading.Tasks.Task LoadValidator() => _validator = await ValidationTestEnvironment.SharedValidator("1.0.0");

    [TestCase("Patient")]
    [TestCase("Coverage")]
    [TestCase("Organization")]
    public void Test_member_1_gets_every_must_support_element_of_every_profile_of_the_type(string type)
    {
        var resources = JasonsView[type].Select(r => Parser.DeserializeResource(SandboxData.Resource(r).ToJsonString())).ToList<Resource>();

        var reports = _validator.ProfilesFor(type).Select(p => _validator.AnalyzeMustSupport(p, resources)).ToList();
        foreach (var report in reports) TestContext.Out.WriteLine(report.Summary + Environment.NewLine + report.ToText());

        Assert.That(reports.Where(r => r.NotPopulated.Count > 0).Select(MustSupportRules.DescribeGaps), Is.Empty);
        Assert.That(reports.Select(r => r.Profile), Is.EqualTo(_validator.ProfilesFor(type)));
    }
}
