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
    public static void DescribePolicy(ConformanceRunHandle handle) =>
        TestContext.Progress.WriteLine($"Requirement policy: {RunPolicy(handle).Describe()}");

    // The policy is the run's setting; before a run has started (it failed to start) there are only the catalogue's defaults.
    private static RequirementPolicy RunPolicy(ConformanceRunHandle handle) => handle.Started?.Settings.Policy ?? RequirementPolicy.Default;

    /// <summary>
    /// Registers the scenario's <see cref="CheckScope"/> in its container, from which every <see cref="Check"/> (and so
    /// every rule class a step class asks for) is made; first of the scenario's hooks, so nothing resolves one before.
    /// </summary>
    [BeforeScenario(Order = -1000)]
    public static void ApplyRequirementPolicy(ScenarioContext scenario, ConformanceRunHandle handle)
    {
        var tags = scenario.ScenarioInfo.CombinedTags;
        var policy = RunPolicy(handle);
        scenario.ScenarioContainer.RegisterInstanceAs(new CheckScope(scenario.ScenarioContainer.Resolve<ScenarioEvidence>(), tags, policy));
        if (policy.SkipReason(tags) is { } reason)
            Assert.Ignore(reason);
    }
}
