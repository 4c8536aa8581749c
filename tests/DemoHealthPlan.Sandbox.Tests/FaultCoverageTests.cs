using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;

namespace DemoHealthPlan.Sandbox.Tests;

/// <summary>
/// Every fault the sandbox knows has a test asserting its behaviour, and no test claims a fault the sandbox does not
/// know. The tests are found the way NUnit finds them (test case sources expanded), so the list cannot drift.
/// </summary>
public class FaultCoverageTests
{
    [Test]
    public void Every_known_fault_has_a_runnable_test_and_every_fault_test_names_a_known_fault()
    {
        var assembly = new DefaultTestAssemblyBuilder().Build(typeof(FaultCoverageTests).Assembly, new Dictionary<string, object>());
        var tested = RunnableTests(assembly)
            .SelectMany(test => test.Properties[FaultTests.Property].Cast<string>())
            .ToHashSet(StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(SandboxFaults.Known.Keys.Where(fault => !tested.Contains(fault)), Is.Empty,
                "known faults without a test marked [FaultTest(name)] or built with FaultTests.Case(name)");
            Assert.That(tested.Where(fault => !SandboxFaults.Known.ContainsKey(fault)), Is.Empty, "tests naming a fault the sandbox does not know");
        });
    }

    /// <summary>Test cases that would run by default, each with its parameterised method suite (where method attributes may land).</summary>
    internal static IEnumerable<ITest> RunnableTests(ITest test)
    {
        if (test.RunState != RunState.Runnable) yield break;
        if (!test.IsSuite || test.TestType == "ParameterizedMethod") yield return test;
        foreach (var child in test.Tests)
            foreach (var runnable in RunnableTests(child))
                yield return runnable;
    }
}
