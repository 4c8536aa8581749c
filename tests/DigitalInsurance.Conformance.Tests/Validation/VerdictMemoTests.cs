using System.Text.Json.Nodes;
using DigitalInsurance.Conformance.Support.Validation;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

/// <summary>A verdict is computed once per resource content in a run: asking again returns it without validating again.</summary>
public class VerdictMemoTests
{
    private ConformanceValidator _validator = null!;

    [OneTimeSetUp]
    public async System.Threading.Tasks.Task LoadValidator() => _validator = await ValidationTestEnvironment.SharedValidator("1.0.0");

    /// <summary>An IG example with an id no other test uses, so the memo has never seen it.</summary>
    private string FreshPatient(string? gender = null)
    {
        var patient = JsonNode.Parse(ValidationTestEnvironment.Example(_validator, "Patient-Example-Patient1"))!.AsObject();
        patient["id"] = "memo-" + Guid.NewGuid().ToString("N")[..12];
        if (gender is not null) patient["gender"] = gender;
        return patient.ToJsonString();
    }

    [Test]
    public void The_same_content_is_validated_once_and_gets_the_same_verdict()
    {
        var json = FreshPatient(gender: "robot");
        var before = _validator.ValidationsRun;

        var first = _validator.Validate(json);
        var second = _validator.Validate(json);

        Assert.That(_validator.ValidationsRun - before, Is.EqualTo(1));
        Assert.That(second, Is.SameAs(first));
        Assert.That(first.Issues, Has.Some.Matches<ValidationIssue>(i => i.Severity == IssueSeverity.Error && i.Path.Contains("gender")), first.ToText());
    }

    [Test]
    public void Different_content_is_validated_on_its_own()
    {
        var valid = FreshPatient();
        var invalid = FreshPatient(gender: "robot");
        var before = _validator.ValidationsRun;

        var validReport = _validator.Validate(valid);
        var invalidReport = _validator.Validate(invalid);

        Assert.That(_validator.ValidationsRun - before, Is.EqualTo(2));
        Assert.That((validReport.ErrorCount, invalidReport.ErrorCount > 0), Is.EqualTo((0, true)), invalidReport.ToText());
    }

    [Test]
    public void Validating_without_the_memo_validates_every_time()
    {
        var json = FreshPatient();
        var before = _validator.ValidationsRun;

        _validator.ValidateWithoutMemo(json);
        _validator.ValidateWithoutMemo(json);

        Assert.That(_validator.ValidationsRun - before, Is.EqualTo(2));
    }
}
