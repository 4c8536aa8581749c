using System.Text;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Reporting;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Checks;

/// <summary>How Check.That applies the requirement policy: required fails, warn records a warning, off records a note.</summary>
[NonParallelizable] // one test sets the run-wide policy
public sealed class CheckTests
{
    private static readonly string[] NoTags = [];

    [Test]
    public void A_required_rule_that_does_not_hold_fails_naming_the_rule()
    {
        var evidence = new ScenarioEvidence();
        using var scope = CheckScope.Begin(evidence, NoTags, RequirementPolicy.Default);

        var failure = Assert.Throws<ConformanceFailure>(() => Check.That(false, Requirements.C4dicMustSupport, "Every element must be populated.", "Coverage.period is not"));

        Assert.That(failure!.Message, Is.EqualTo("[c4dic-must-support] Every element must be populated. Observed: Coverage.period is not"));
        Assert.That(evidence.Warnings, Is.Empty);
    }

    [Test]
    public void A_warn_rule_that_does_not_hold_is_a_warning_in_the_evidence_and_the_scenario_goes_on()
    {
        var evidence = new ScenarioEvidence();
        using var scope = CheckScope.Begin(evidence, NoTags, RequirementPolicy.Parse("c4dic-must-support=warn"));

        Assert.DoesNotThrow(() => Check.That(false, Requirements.C4dicMustSupport, "Every element must be populated.", "Coverage.period is not"));

        Assert.Multiple(() =>
        {
            Assert.That(evidence.Warnings, Is.EqualTo(new[] { "[c4dic-must-support] Every element must be populated. Observed: Coverage.period is not" }));
            var item = evidence.All.Single();
            Assert.That(item.Title, Is.EqualTo("Warning [c4dic-must-support]"));
            Assert.That(Encoding.UTF8.GetString(item.Content), Does.StartWith("Warning [c4dic-must-support] Every element must be populated.")
                .And.Contain("Reported as a warning, not a failure: policy entry c4dic-must-support=warn."));
        });
    }

    [Test]
    public void A_rule_that_holds_records_nothing_at_any_level()
    {
        var evidence = new ScenarioEvidence();
        using var scope = CheckScope.Begin(evidence, NoTags, RequirementPolicy.Parse("fhir-read=warn"));

        Check.That(true, Requirements.FhirRead, "The read must succeed.");
        Check.That(true, Requirements.FhirSearch, "The search must succeed.");

        Assert.That(evidence.All, Is.Empty);
    }

    [Test]
    public void An_off_rule_is_not_judged_and_noted_once_per_scenario()
    {
        var evidence = new ScenarioEvidence();
        using var scope = CheckScope.Begin(evidence, ["coverage"], RequirementPolicy.Parse("@coverage=off"));

        Assert.DoesNotThrow(() =>
        {
            Check.That(false, Requirements.C4dicCoveragePayor, "The payor must be readable.");
            Check.That(true, Requirements.C4dicCoveragePayor, "The payor must be readable.");
            Check.That(false, Requirements.C4dicCoverageBeneficiary, "The beneficiary must be the member.");
        });

        Assert.Multiple(() =>
        {
            Assert.That(evidence.Warnings, Is.Empty);
            Assert.That(evidence.All.Select(e => e.Title), Is.EqualTo(new[] { "Check off by policy [c4dic-coverage-payor]", "Check off by policy [c4dic-coverage-beneficiary]" }));
            Assert.That(Encoding.UTF8.GetString(evidence.All[0].Content),
                Is.EqualTo("Check off by policy: the checks of [c4dic-coverage-payor] in this scenario were not judged (policy entry @coverage=off)."));
        });
    }

    [Test]
    public void The_IG_default_makes_a_missing_expires_in_a_warning()
    {
        var evidence = new ScenarioEvidence();
        using var scope = CheckScope.Begin(evidence, ["token", "req:smart-token-expires-in"], RequirementPolicy.Default);

        Check.That(false, Requirements.SmartTokenExpiresIn, "The token response should carry expires_in.", "expires_in is absent");

        Assert.That(evidence.Warnings, Is.EqualTo(new[] { "[smart-token-expires-in] The token response should carry expires_in. Observed: expires_in is absent" }));
    }

    [Test]
    public void Outside_any_scope_checks_follow_the_catalogue_defaults()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ConformanceFailure>(() => Check.That(false, Requirements.FhirRead, "The read must succeed."));
            Assert.DoesNotThrow(() => Check.That(false, Requirements.SmartTokenExpiresIn, "The token response should carry expires_in."),
                "a SHOULD rule warns by default");
        });
    }

    [Test]
    public async Task The_scope_reaches_checks_after_awaits_and_on_other_threads()
    {
        var evidence = new ScenarioEvidence();
        using var scope = CheckScope.Begin(evidence, NoTags, RequirementPolicy.Parse("fhir-read=warn"));

        await Task.Yield();
        await Task.Run(() => Check.That(false, Requirements.FhirRead, "The read must succeed.", "on a pool thread"));

        Assert.That(evidence.Warnings, Has.Count.EqualTo(1).And.Some.Contain("on a pool thread"));
    }

    [Test]
    public void Disposing_a_scope_restores_the_one_before()
    {
        var outerEvidence = new ScenarioEvidence();
        using var outer = CheckScope.Begin(outerEvidence, NoTags, RequirementPolicy.Parse("fhir-read=warn"));
        using (CheckScope.Begin(new ScenarioEvidence(), NoTags, RequirementPolicy.Default))
            Assert.Throws<ConformanceFailure>(() => Check.That(false, Requirements.FhirRead, "The read must succeed."));

        Check.That(false, Requirements.FhirRead, "The read must succeed.");

        Assert.That(CheckScope.Current, Is.SameAs(outer));
        Assert.That(outerEvidence.Warnings, Has.Count.EqualTo(1));
    }

    [Test]
    public void Fail_fails_whatever_the_policy_says_because_callers_cannot_go_on()
    {
        using var scope = CheckScope.Begin(new ScenarioEvidence(), NoTags, RequirementPolicy.Parse("fhir-read=off"));

        Assert.Throws<ConformanceFailure>(() => Check.Fail(Requirements.FhirRead, "The read must succeed."));
    }
}
