using System.Text.Json.Nodes;
using DigitalInsurance.Conformance.Support.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

/// <summary>Verdicts of the validator (C4DIC 1.0.0 / US Core 4.0.0) on the IG's own examples and broken copies of them.</summary>
public class ConformanceValidatorTests
{
    private const string C4dic = "http://hl7.org/fhir/us/insurance-card/StructureDefinition/";
    private const string UsCore = "http://hl7.org/fhir/us/core/StructureDefinition/";

    private ConformanceValidator _validator = null!;

    [OneTimeSetUp]
    public async System.Threading.Tasks.Task LoadValidator() => _validator = await ValidationTestEnvironment.SharedValidator("1.0.0");

    private JsonObject Example(string name) => JsonNode.Parse(ValidationTestEnvironment.Example(_validator, name))!.AsObject();

    private static string Errors(ValidationReport report) => report.ToText();

    [Test]
    public void Loads_the_c4dic_and_us_core_packages_of_the_manifest_and_r4_core()
    {
        Assert.That(_validator.LoadedPackages.Select(p => $"{p.Name}#{p.Version}"),
            Is.EqualTo(new[] { "hl7.fhir.us.insurance-card#1.0.0", "hl7.fhir.us.core#4.0.0", "hl7.fhir.r4.core#4.0.1" }));
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
    public void Checks_the_manifest_profiles_of_the_type_and_the_declared_ones()
    {
        var report = _validator.Validate(ValidationTestEnvironment.Example(_validator, "Patient-Example-Patient1"));

        Assert.Multiple(() =>
        {
            Assert.That(report.ResourceType, Is.EqualTo("Patient"));
            Assert.That(report.Id, Is.EqualTo("Example-Patient1"));
            Assert.That(report.ProfilesChecked, Is.EqualTo(new[] { C4dic + "C4DIC-Patient", UsCore + "us-core-patient" }));
        });
    }

    [Test]
    public void The_known_bad_coverage_example_fails_on_its_narrative_and_member_id_type()
    {
        var report = _validator.Validate(ValidationTestEnvironment.Example(_validator, "Coverage-Example-Coverage1"));

        Assert.Multiple(() =>
        {
            Assert.That(report.HasErrors, Is.True);
            Assert.That(report.Issues, Has.Some.Matches<ValidationIssue>(i =>
                i.Severity == IssueSeverity.Error && i.Path.StartsWith("Coverage.text") && i.Message.Contains("Invalid Xml")), Errors(report));
            Assert.That(report.Issues, Has.Some.Matches<ValidationIssue>(i =>
                i.Severity == IssueSeverity.Error && i.Message.Contains("incompatible with that of the instance (id)")), Errors(report));
        });
    }

    [Test]
    public void A_coverage_without_beneficiary_fails()
    {
        var coverage = Example("Coverage-Example-Coverage-FSH");
        coverage.Remove("beneficiary");

        var report = _validator.Validate(coverage.ToJsonString());

        Assert.That(report.Issues, Has.Some.Matches<ValidationIssue>(i =>
            i.Severity == IssueSeverity.Error && i.Path == "Coverage" && i.Message.Contains("Missing required member: 'beneficiary'")
            && i.Profile!.Contains(C4dic + "C4DIC-Coverage")), Errors(report));
    }

    [Test]
    public void A_patient_with_an_invalid_gender_fails()
    {
        var patient = Example("Patient-Example-Patient1");
        patient["gender"] = "invalid-gender";

        var report = _validator.Validate(patient.ToJsonString());

        Assert.Multiple(() =>
        {
            Assert.That(report.ErrorCount, Is.EqualTo(1), Errors(report));
            Assert.That(report.Issues.Single(i => i.Severity == IssueSeverity.Error).Message,
                Does.Contain("'invalid-gender'").And.Contain("AdministrativeGender").And.Contain("required"));
            Assert.That(report.Issues.Single(i => i.Severity == IssueSeverity.Error).Path, Does.StartWith("Patient.gender"));
        });
    }

    [Test]
    public void An_organization_without_name_fails()
    {
        var organization = Example("Organization-Example-PayerOrganization1");
        organization.Remove("name");

        var report = _validator.Validate(organization.ToJsonString());

        Assert.That(report.Issues, Has.Some.Matches<ValidationIssue>(i =>
            i.Severity == IssueSeverity.Error && i.Message.Contains("Missing required member: 'name'")), Errors(report));
    }

    [Test]
    public void Colour_codes_from_a_code_system_not_available_locally_are_warnings_not_errors()
    {
        var report = _validator.Validate(ValidationTestEnvironment.Example(_validator, "Coverage-Example-Coverage-FSH"));

        var colourIssues = report.Issues.Where(i => i.Message.Contains("IECColourManagement")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(colourIssues, Is.Not.Empty, report.ToText());
            Assert.That(colourIssues.Select(i => i.Severity), Is.All.EqualTo(IssueSeverity.Warning));
            Assert.That(report.ErrorCount, Is.Zero, report.ToText());
            Assert.That(report.WarningCount, Is.EqualTo(colourIssues.Count));
        });
    }

    [Test]
    public void A_code_from_an_unknown_system_in_a_fully_known_required_value_set_stays_an_error()
    {
        var coverage = Example("Coverage-Example-Coverage-FSH");
        coverage["class"]![0]!["type"] = JsonNode.Parse("""{"coding":[{"system":"http://example.org/unknown-code-system","code":"zzz"}]}""");

        var report = _validator.Validate(coverage.ToJsonString());

        Assert.That(report.Issues, Has.Some.Matches<ValidationIssue>(i =>
            i.Severity == IssueSeverity.Error && i.Message.Contains("'zzz'") && i.Message.Contains("C4DICCoverageClassVS")), Errors(report));
    }

    [Test]
    public void The_manifest_profiles_apply_even_when_the_resource_declares_none()
    {
        var patient = Example("Patient-Example-Patient1");
        patient.Remove("meta");

        var report = _validator.Validate(patient.ToJsonString());

        Assert.Multiple(() =>
        {
            Assert.That(report.ProfilesChecked, Is.EqualTo(new[] { C4dic + "C4DIC-Patient", UsCore + "us-core-patient" }));
            // C4DIC 1.0.0 requires meta.lastUpdated and its own profile in meta.profile.
            Assert.That(report.Issues, Has.Some.Matches<ValidationIssue>(i =>
                i.Severity == IssueSeverity.Error && i.Message.Contains("'meta'")), Errors(report));
        });
    }

    [TestCase(false, Description = "meta.profile names C4DIC Patient only, as the IG's example does")]
    [TestCase(true, Description = "meta.profile names C4DIC Patient and US Core Patient")]
    public void Us_core_patient_is_enforced_whatever_the_patient_declares(bool declaresUsCore)
    {
        var patient = Example("Patient-Example-Patient1");
        if (declaresUsCore)
            patient["meta"]!["profile"]!.AsArray().Add(UsCore + "us-core-patient");
        patient.Remove("identifier");

        var report = _validator.Validate(patient.ToJsonString());

        Assert.That(report.Issues, Has.Some.Matches<ValidationIssue>(i =>
            i.Severity == IssueSeverity.Error && i.Message.Contains("'identifier'") && i.Profile!.Contains("us-core-patient")), Errors(report));
    }

    /// <summary>Issue #13: a data-minimized C4DIC Patient (no gender) breaks only US Core Patient, and the finding names its IG.</summary>
    [Test]
    public void A_patient_without_gender_breaks_only_us_core_patient_which_is_judged_separately()
    {
        var patient = Example("Patient-Example-Patient1");
        patient.Remove("gender");

        var report = _validator.Validate(patient.ToJsonString());
        var usCore = report.ErrorsAgainst(_validator.SeparatelyJudgedProfiles);

        Assert.Multiple(() =>
        {
            Assert.That(_validator.SeparatelyJudgedProfiles, Is.EquivalentTo(new[] { UsCore + "us-core-patient" }));
            Assert.That(report.ErrorsOutside(_validator.SeparatelyJudgedProfiles), Is.Empty, "C4DIC-Patient allows no gender: " + Errors(report));
            Assert.That(usCore, Has.Some.Matches<ValidationIssue>(i => i.Message.Contains("gender")), Errors(report));
            Assert.That(usCore.Select(i => i.ToString()), Has.All.Contains("[US Core " + UsCore + "us-core-patient"));
        });
    }

    [Test]
    public void A_declared_profile_not_available_locally_is_a_warning()
    {
        var patient = Example("Patient-Example-Patient1");
        patient["meta"]!["profile"]!.AsArray().Add("http://payer.example/fhir/StructureDefinition/payer-patient");

        var report = _validator.Validate(patient.ToJsonString());

        Assert.Multiple(() =>
        {
            Assert.That(report.ErrorCount, Is.Zero, Errors(report));
            Assert.That(report.Issues, Has.Some.Matches<ValidationIssue>(i =>
                i.Severity == IssueSeverity.Warning && i.Message.Contains("payer-patient") && i.Message.Contains("not available locally")));
            Assert.That(report.ProfilesChecked, Has.None.Contains("payer-patient"));
        });
    }

    [TestCase("{ \"resourceType\": \"Patient\", ", "JSON", Description = "truncated JSON")]
    [TestCase("[1, 2]", "JSON", Description = "an array")]
    [TestCase("{\"id\":\"x\"}", "JSON103", Description = "no resourceType")]
    [TestCase("{\"resourceType\":\"Nope\",\"id\":\"x\"}", "PVAL130", Description = "unknown resource type")]
    public void Json_that_is_no_fhir_resource_is_one_structural_error(string json, string code)
    {
        var report = _validator.Validate(json);

        Assert.Multiple(() =>
        {
            Assert.That(report.ErrorCount, Is.EqualTo(1), report.ToText());
            Assert.That(report.Issues.Single().Code, Is.EqualTo(code));
        });
    }

    [Test]
    public void Unknown_elements_and_wrong_value_types_are_errors()
    {
        var patient = Example("Patient-Example-Patient1");
        patient["favouriteColour"] = "blue";
        patient["birthDate"] = "not-a-date";

        var report = _validator.Validate(patient.ToJsonString());

        Assert.Multiple(() =>
        {
            Assert.That(report.Issues, Has.Some.Matches<ValidationIssue>(i => i.Severity == IssueSeverity.Error && i.Message.Contains("favouriteColour")), Errors(report));
            Assert.That(report.Issues, Has.Some.Matches<ValidationIssue>(i => i.Severity == IssueSeverity.Error && i.Path.StartsWith("Patient.birthDate")), Errors(report));
        });
    }

    [Test]
    public void Validating_a_parsed_resource_gives_the_same_verdict_as_its_json()
    {
        var json = ValidationTestEnvironment.Example(_validator, "Coverage-Example-Coverage1");
        var resource = new FhirJsonDeserializer(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable)).DeserializeResource(json);

        Assert.That(_validator.Validate(resource).ToText(), Is.EqualTo(_validator.Validate(json).ToText()));
    }

    [Test]
    public void Concurrent_validations_give_the_same_verdicts_as_one_at_a_time()
    {
        var examples = Directory.GetFiles(ValidationTestEnvironment.ExampleFolder(_validator), "*.json")
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Select(File.ReadAllText)
            .ToList();
        var expected = examples.Select(e => _validator.Validate(e).ToText()).ToList();

        var actual = new string[examples.Count * 4];
        Parallel.For(0, actual.Length, i => actual[i] = _validator.Validate(examples[i % examples.Count]).ToText());

        Assert.That(actual, Is.EqualTo(Enumerable.Range(0, actual.Length).Select(i => expected[i % examples.Count])));
    }

    [Test]
    public void Warm_up_validates_without_failing_and_runs_once()
    {
        var first = _validator.WarmUpAsync();
        var second = _validator.WarmUpAsync();

        Assert.That(second, Is.SameAs(first));
        Assert.DoesNotThrowAsync(async () => await first);
    }
}
