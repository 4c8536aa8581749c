using System.Text;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Reporting;
using NUnit.Framework;
using Reqnroll.BoDi;

namespace DigitalInsurance.Conformance.Tests.Checks;

/// <summary>How Check.That applies the requirement policy: required fails, warn records a warning, off records a note.</summary>
public sealed class CheckTests
{
    private static readonly string[] NoTags = [];

    [Test]
    public void A_required_rule_that_does_not_hold_fails_naming_the_rule()
    {
        var evidence = new ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, NoTags, RequirementPolicy.Default));

        var failure = Assert.Throws<ConformanceFailure>(() => check.That(false, Requirements.C4dicCoverageProfile, "Every element must be populated.", "Coverage.period is not"));

        Assert.That(failure!.Message, Is.EqualTo("[c4dic-coverage-profile] Every element must be populated. Observed: Coverage.period is not"));
        Assert.That(evidence.Warnings, Is.Empty);
    }

    [Test]
    public void A_warn_rule_that_does_not_hold_is_a_warning_in_the_evidence_and_the_scenario_goes_on()
    {
        var evidence = new ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, NoTags, RequirementPolicy.Parse("c4dic-must-support=warn")));

        Assert.DoesNotThrow(() => check.That(false, Requirements.C4dicMustSupport, "Every element must be populated.", "Coverage.period is not"));

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
        var check = new Check(new CheckScope(evidence, NoTags, RequirementPolicy.Parse("fhir-read=warn")));

        check.That(true, Requirements.FhirRead, "The read must succeed.");
        check.That(true, Requirements.FhirSearch, "The search must succeed.");

        Assert.That(evidence.All, Is.Empty);
    }

    [Test]
    public void An_off_rule_is_not_judged_and_noted_once_per_scenario()
    {
        var evidence = new ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, ["coverage"], RequirementPolicy.Parse("@coverage=off")));

        Assert.DoesNotThrow(() =>
        {
            check.That(false, Requirements.C4dicCoveragePayor, "The payor must be readable.");
            check.That(true, Requirements.C4dicCoveragePayor, "The payor must be readable.");
            check.That(false, Requirements.C4dicCoverageBeneficiary, "The beneficiary must be the member.");
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
        var check = new Check(new CheckScope(evidence, ["token", "req:smart-token-expires-in"], RequirementPolicy.Default));

        check.That(false, Requirements.SmartTokenExpiresIn, "The token response should carry expires_in.", "expires_in is absent");

        Assert.That(evidence.Warnings, Is.EqualTo(new[] { "[smart-token-expires-in] The token response should carry expires_in. Observed: expires_in is absent" }));
    }

    [Test]
    public void Each_scenario_container_gives_its_rules_that_scenario_s_checks()
    {
        // As Reqnroll does: a scenario's container, below the test thread's, holds the scope the policy hook registered,
        // and builds the rule classes a step class asks for on demand.
        var thread = new ObjectContainer();
        var (first, firstEvidence) = ScenarioContainer(thread, "fhir-read=warn");
        var (second, secondEvidence) = ScenarioContainer(thread, "");

        first.Resolve<Check>().That(false, Requirements.FhirRead, "The read must succeed.", "in the first scenario");
        Assert.Throws<ConformanceFailure>(() => second.Resolve<Check>().That(false, Requirements.FhirRead, "The read must succeed."));

        Assert.Multiple(() =>
        {
            Assert.That(firstEvidence.Warnings, Has.Count.EqualTo(1).And.Some.Contain("in the first scenario"));
            Assert.That(secondEvidence.Warnings, Is.Empty);
            Assert.That(first.Resolve<ResourceRules>(), Is.SameAs(first.Resolve<ResourceRules>()), "one rule object per scenario");
            Assert.That(first.Resolve<Check>().Scope, Is.Not.SameAs(second.Resolve<Check>().Scope));
        });
    }

    [Test]
    public async Task A_scenario_s_checks_report_to_it_after_awaits_and_on_other_threads()
    {
        var evidence = new ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, NoTags, RequirementPolicy.Parse("fhir-read=warn")));

        await Task.Yield();
        await Task.Run(() => check.That(false, Requirements.FhirRead, "The read must succeed.", "on a pool thread"));

        Assert.That(evidence.Warnings, Has.Count.EqualTo(1).And.Some.Contain("on a pool thread"));
    }

    private static (ObjectContainer Scenario, ScenarioEvidence Evidence) ScenarioContainer(ObjectContainer thread, string policy)
    {
        var scenario = new ObjectContainer(thread);
        var evidence = new ScenarioEvidence();
        scenario.RegisterInstanceAs(new CheckScope(evidence, NoTags, RequirementPolicy.Parse(policy)));
        return (scenario, evidence);
    }

    [Test]
    public void Fail_fails_whatever_the_policy_says_because_callers_cannot_go_on()
    {
        var check = new Check(new CheckScope(new ScenarioEvidence(), NoTags, RequirementPolicy.Parse("fhir-read=off")));

        Assert.Throws<ConformanceFailure>(() => check.Fail(Requirements.FhirRead, "The read must succeed."));
    }
}
