using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Reporting;
using DigitalInsurance.Conformance.Support.Validation;
using DigitalInsurance.Conformance.Tests.Resources;
using DigitalInsurance.Conformance.Tests.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Checks;

/// <summary>
/// The Must Support verdict on a Coverage stripped of Must Support elements: not demonstrated (the scenario skipped,
/// naming them) by default and with =warn, a failure naming them with c4dic-must-support=required (as DIC_POLICY would
/// set it), nothing judged with =off.
/// </summary>
public sealed class MustSupportPolicyTests
{
    private static readonly FhirJsonDeserializer Parser = new();
    private ConformanceValidator _validator = null!;

    [OneTimeSetUp]
    public async System.Threading.Tasks.Task LoadValidator() => _validator = await ValidationTestEnvironment.SharedValidator("1.0.0");

    private static Resource StrippedCoverage()
    {
        var coverage = SandboxData.Resource("Coverage/coverage-jason-medical");
        coverage.Remove("period");
        coverage.Remove("costToBeneficiary");
        return Parser.DeserializeResource(coverage.ToJsonString());
    }

    private static Resource CompleteCoverage() => Parser.DeserializeResource(SandboxData.Resource("Coverage/coverage-jason-medical").ToJsonString());

    [Test]
    public void The_complete_coverage_populates_every_must_support_element_and_passes()
    {
        var evidence = new ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, ["req:c4dic-must-support"], RequirementPolicy.Default));

        var reports = new MustSupportRules(check).RequireEveryElementPopulated(_validator, evidence, "Coverage", [CompleteCoverage()]);

        Assert.That(reports.SelectMany(r => r.NotPopulated).Select(e => e.ElementId), Is.Empty);
        Assert.That(evidence.All.Select(e => e.Title), Has.Some.StartsWith("Must Support: C4DIC-Coverage:"));
    }

    [Test]
    public void A_stripped_coverage_is_not_demonstrated_and_the_scenario_skipped_naming_the_elements()
    {
        var evidence = new ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, ["req:c4dic-must-support"], RequirementPolicy.Default));

        var skipped = Assert.Throws<NUnit.Framework.IgnoreException>(() => new MustSupportRules(check).RequireEveryElementPopulated(_validator, evidence, "Coverage", [StrippedCoverage()]));

        Assert.Multiple(() =>
        {
            Assert.That(skipped!.Message, Does.StartWith(
                "Not demonstrated [c4dic-must-support]: Together, the Coverage resources the member can get must populate every Must Support element and slice of C4DIC-Coverage. " +
                "Observed: C4DIC-Coverage: 7 of 34 Must Support elements not populated in 1 Coverage resource: "));
            Assert.That(skipped.Message, Does.Contain("Coverage.period, Coverage.costToBeneficiary, ")
                .And.EndWith("the policy entry c4dic-must-support=required makes it fail."));
            Assert.That(evidence.Warnings, Is.Empty);
            Assert.That(evidence.All.Select(e => e.Title), Does.Contain("Not demonstrated [c4dic-must-support]").And.Some.StartsWith("Must Support:"),
                "the undemonstrated elements and the per-element table are attached");
        });
    }

    [Test]
    public void With_policy_warn_the_stripped_coverage_is_not_demonstrated_either()
    {
        var evidence = new ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, ["req:c4dic-must-support"], RequirementPolicy.Parse("c4dic-must-support=warn")));

        Assert.Throws<NUnit.Framework.IgnoreException>(() => new MustSupportRules(check).RequireEveryElementPopulated(_validator, evidence, "Coverage", [StrippedCoverage()]));
    }

    [Test]
    public void With_policy_required_the_stripped_coverage_fails_naming_the_elements_it_does_not_populate()
    {
        var evidence = new ScenarioEvidence();
        var policy = Support.Configuration.SettingsBinder.Bind(new Dictionary<string, string?>(), new Dictionary<string, string?> { ["DIC_POLICY"] = "c4dic-must-support=required" }).Policy;
        var check = new Check(new CheckScope(evidence, ["req:c4dic-must-support"], policy));

        var failure = Assert.Throws<ConformanceFailure>(() => new MustSupportRules(check).RequireEveryElementPopulated(_validator, evidence, "Coverage", [StrippedCoverage()]));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Message, Does.StartWith(
                "[c4dic-must-support] Together, the Coverage resources the member can get must populate every Must Support element and slice of C4DIC-Coverage. " +
                "Observed: C4DIC-Coverage: 7 of 34 Must Support elements not populated in 1 Coverage resource: "));
            Assert.That(failure.Message, Does.Contain("Must Support elements not populated in 1 Coverage resource: Coverage.period, Coverage.costToBeneficiary, "));
            Assert.That(failure.Message, Does.Contain("Coverage.costToBeneficiary.type (parent Coverage.costToBeneficiary is not populated)"));
            Assert.That(evidence.Warnings, Is.Empty);
            Assert.That(System.Text.Encoding.UTF8.GetString(evidence.All.Single(e => e.Title.StartsWith("Must Support:")).Content),
                Does.Contain("<td style=\"padding:4px;font-family:monospace\">Coverage.period</td>"), "the per-element table is attached");
        });
    }

    [Test]
    public void With_policy_off_nothing_is_judged_but_the_table_is_still_attached()
    {
        var evidence = new ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, ["req:c4dic-must-support"], RequirementPolicy.Parse("c4dic-must-support=off")));

        Assert.DoesNotThrow(() => new MustSupportRules(check).RequireEveryElementPopulated(_validator, evidence, "Coverage", [StrippedCoverage()]));

        Assert.That(evidence.Warnings, Is.Empty);
        Assert.That(evidence.All.Select(e => e.Title), Does.Contain("Check off by policy [c4dic-must-support]").And.Some.StartsWith("Must Support:"));
    }
}
