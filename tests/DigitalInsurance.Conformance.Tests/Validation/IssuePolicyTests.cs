using DigitalInsurance.Conformance.Support.Validation;
using Hl7.Fhir.Model;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

/// <summary>
/// The verdict policy on Firely issues, fed with issues in the validator's own wording: what the local definitions
/// cannot decide is a warning; what they can decide stays an error.
/// </summary>
public class IssuePolicyTests
{
    private const string ColourValueSet = "http://hl7.org/fhir/us/insurance-card/ValueSet/ISOColorVS";
    private const string ClassValueSet = "http://hl7.org/fhir/us/insurance-card/ValueSet/C4DICCoverageClassVS";
    private const string C4dicPatient = "http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Patient";

    private IssuePolicy _policy = null!;

    [OneTimeSetUp]
    public async System.Threading.Tasks.Task CreatePolicy()
    {
        var validator = await ValidationTestEnvironment.SharedValidator("1.0.0");
        _policy = validator.Policy;
    }

    private static OperationOutcome.IssueComponent Issue(string code, string text, OperationOutcome.IssueSeverity severity = OperationOutcome.IssueSeverity.Error) => new()
    {
        Severity = severity,
        Code = OperationOutcome.IssueType.CodeInvalid,
        Details = new CodeableConcept("http://hl7.org/fhir/dotnet-api-operation-outcome", code, text),
        Expression = ["Coverage.extension[0].value[0]"],
        Diagnostics = $"ElementDefinition trace: Coverage({C4dicPatient}).extension",
    };

    [Test]
    public void A_terminology_service_failure_reported_as_an_error_becomes_a_warning()
    {
        var issue = _policy.Translate(Issue("6006", $"Terminology service failed while validating concept with coding(s) '#00bfff' (system 'http://terminology.hl7.org/CodeSystem/IECColourManagement'): Cannot find valueset '{ColourValueSet}'"), "Coverage");

        Assert.That(issue.Severity, Is.EqualTo(IssueSeverity.Warning));
    }

    [Test]
    public void An_unknown_code_system_that_the_value_set_draws_on_is_a_warning()
    {
        var issue = _policy.Translate(Issue("6007",
            $"Code '#00bfff' from system 'http://terminology.hl7.org/CodeSystem/IECColourManagement' does not exist in the value set 'ISO Color' ({ColourValueSet}); A definition for CodeSystem 'http://terminology.hl7.org/CodeSystem/IECColourManagement' could not be found, so the code cannot be validated, but the binding is of strength 'required'"), "Coverage");

        Assert.Multiple(() =>
        {
            Assert.That(issue.Severity, Is.EqualTo(IssueSeverity.Warning));
            Assert.That(issue.Message, Does.Contain("not available locally"));
        });
    }

    [Test]
    public void An_unknown_code_system_that_the_value_set_does_not_include_stays_an_error()
    {
        var issue = _policy.Translate(Issue("6007",
            $"Code 'zzz' from system 'http://example.org/cs' does not exist in the value set 'C4DIC Coverage Class' ({ClassValueSet}); A definition for CodeSystem 'http://example.org/cs' could not be found, so the code cannot be validated, but the binding is of strength 'required'"), "Coverage");

        Assert.That(issue.Severity, Is.EqualTo(IssueSeverity.Error));
    }

    [Test]
    public void A_manifest_profile_that_cannot_be_resolved_stays_an_error_and_a_declared_one_becomes_a_warning()
    {
        var manifestProfile = _policy.Translate(Issue("4000", $"Unable to resolve reference to profile '{C4dicPatient}'."), "Patient");
        var declaredProfile = _policy.Translate(Issue("4000", "Unable to resolve reference to profile 'http://payer.example/StructureDefinition/x|2.0'."), "Patient");

        Assert.Multiple(() =>
        {
            Assert.That(manifestProfile.Severity, Is.EqualTo(IssueSeverity.Error));
            Assert.That(declaredProfile.Severity, Is.EqualTo(IssueSeverity.Warning));
        });
    }

    [Test]
    public void Takes_the_profile_from_the_root_of_the_element_trace_and_the_path_from_the_expression()
    {
        var issue = _policy.Translate(Issue("1028", "Missing required member: 'beneficiary'"), "Coverage");

        Assert.Multiple(() =>
        {
            Assert.That(issue.Profile, Is.EqualTo(C4dicPatient));
            Assert.That(issue.Path, Is.EqualTo("Coverage.extension[0].value[0]"));
            Assert.That(issue.Code, Is.EqualTo("1028"));
            Assert.That(issue.Severity, Is.EqualTo(IssueSeverity.Error));
        });
    }

    [Test]
    public void Warnings_and_information_are_kept_as_they_are()
    {
        var warning = _policy.Translate(Issue("4009", "Unable to resolve reference to extension 'http://x'.", OperationOutcome.IssueSeverity.Warning), "Patient");
        var information = _policy.Translate(Issue("1", "note", OperationOutcome.IssueSeverity.Information), "Patient");

        Assert.Multiple(() =>
        {
            Assert.That(warning.Severity, Is.EqualTo(IssueSeverity.Warning));
            Assert.That(warning.Message, Is.EqualTo("Unable to resolve reference to extension 'http://x'."));
            Assert.That(information.Severity, Is.EqualTo(IssueSeverity.Information));
        });
    }
}
