using System.Text.Json.Nodes;
using DigitalInsurance.Conformance.Support.Validation;
using DigitalInsurance.Conformance.Tests.Resources;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

/// <summary>The same validator switched to C4DIC 1.1.0 (on US Core 3.1.1) by the IgVersion setting.</summary>
public class ConformanceValidatorIg110Tests
{
    private ConformanceValidator _validator = null!;

    [OneTimeSetUp]
    public async System.Threading.Tasks.Task LoadValidator() => _validator = await ValidationTestEnvironment.SharedValidator("1.1.0");

    [Test]
    public void Loads_c4dic_1_1_0_with_us_core_3_1_1()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_validator.Manifest.IgVersion, Is.EqualTo("1.1.0"));
            Assert.That(_validator.LoadedPackages.Select(p => $"{p.Name}#{p.Version}"),
                Is.EqualTo(new[] { "hl7.fhir.us.insurance-card#1.1.0", "hl7.fhir.us.core#3.1.1", "hl7.fhir.r4.core#4.0.1" }));
        });
    }

    [TestCase("Coverage-Example-Coverage-FSH")]
    [TestCase("Organization-Example-PayerOrganization1")]
    [TestCase("Patient-Example-Patient1")]
    [TestCase("Patient-Example-Patient2")]
    public void The_igs_valid_examples_have_no_errors(string example)
    {
        var report = _validator.Validate(ValidationTestEnvironment.Example(_validator, example));

        Assert.That(report.ErrorCount, Is.Zero, report.ToText());
    }

    [Test]
    public void The_known_bad_coverage_example_fails()
    {
        var report = _validator.Validate(ValidationTestEnvironment.Example(_validator, "Coverage-Example-Coverage1"));

        Assert.That(report.Issues, Has.Some.Matches<ValidationIssue>(i =>
            i.Severity == IssueSeverity.Error && i.Message.Contains("Invalid Xml")), report.ToText());
    }

    [Test]
    public void A_coverage_without_beneficiary_fails()
    {
        var coverage = JsonNode.Parse(ValidationTestEnvironment.Example(_validator, "Coverage-Example-Coverage-FSH"))!.AsObject();
        coverage.Remove("beneficiary");

        var report = _validator.Validate(coverage.ToJsonString());

        Assert.That(report.Issues, Has.Some.Matches<ValidationIssue>(i =>
            i.Severity == IssueSeverity.Error && i.Message.Contains("Missing required member: 'beneficiary'")), report.ToText());
    }

    private const string CostString = "http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-BeneficiaryCostString-extension";

    /// <summary>
    /// 1.1.0 gives the BeneficiaryCostString extension the FHIRPath context Coverage.costToBeneficiary.value.ofType(Money),
    /// which Firely does not evaluate; the harness does, and overrules the validator's "outside of appropriate contexts".
    /// </summary>
    [Test]
    public void A_cost_string_on_valueMoney_is_conformant_and_the_overruled_message_is_kept_as_information()
    {
        var report = _validator.Validate(SandboxData.Resource("Coverage/coverage-jason-medical").ToJsonString());

        Assert.Multiple(() =>
        {
            Assert.That(report.ErrorCount, Is.Zero, report.ToText());
            Assert.That(report.Issues, Has.Some.Matches<ValidationIssue>(i =>
                i.Severity == IssueSeverity.Information && i.Message.Contains("Overruled") && i.Message.Contains("Coverage.costToBeneficiary.value.ofType(Money)")), report.ToText());
        });
    }

    [Test]
    public void A_cost_string_elsewhere_still_fails()
    {
        var coverage = SandboxData.Resource("Coverage/coverage-jason-medical");
        coverage["extension"] = new JsonArray(new JsonObject { ["url"] = CostString, ["valueString"] = "$10" });

        var report = _validator.Validate(coverage.ToJsonString());

        Assert.That(report.Issues, Has.Some.Matches<ValidationIssue>(i => i.Severity == IssueSeverity.Error && i.Message.Contains("context")), report.ToText());
    }
}
