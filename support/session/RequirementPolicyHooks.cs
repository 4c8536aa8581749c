using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Reporting;
using NUnit.Framework;
using Reqnroll;

namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>
/// Applies the requirement policy (setting <c>policy</c>) to each scenario: its checks report to its evidence with its
/// tags, and a scenario whose every <c>@req:</c> requirement is off is skipped, saying which and why.
/// </summary>
[Binding]
public sealed class RequirementPolicyHooks
{
    [BeforeTestRun(Order = 10)]
    public static void DescribePolicy() =>
        TestContext.Progress.WriteLine($"Requirement policy: {RunPolicy.Describe()}");

    /// <remarks>
    /// Synchronous on purpose: Reqnroll carries the execution context a synchronous hook leaves behind into the
    /// scenario's steps, so the ambient <see cref="CheckScope"/> begun here is the one every check of the scenario sees.
    /// </remarks>
    // The policy is the run's setting; before a run has started (it failed to start) there are only the catalogue's defaults.
    private static RequirementPolicy RunPolicy => ConformanceRun.Started?.Settings.Policy ?? RequirementPolicy.Default;

    [BeforeScenario(Order = -1000)]
    public static void ApplyRequirementPolicy(ScenarioContext scenario)
    {
        var tags = scenario.ScenarioInfo.CombinedTags;
        var policy = RunPolicy;
        CheckScope.Begin(scenario.ScenarioContainer.Resolve<ScenarioEvidence>(), tags, policy);
        if (policy.SkipReason(tags) is { } reason)
            Assert.Ignore(reason);
    }
}
