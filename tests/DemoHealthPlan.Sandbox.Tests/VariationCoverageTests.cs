using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;
using NUnit.Framework.Api;

namespace DemoHealthPlan.Sandbox.Tests;

/// <summary>Every variation the sandbox knows has a test asserting its behaviour, and no test claims a variation the sandbox does not know.</summary>
public class VariationCoverageTests
{
    [Test]
    public void Every_known_variation_has_a_runnable_test_and_every_variation_test_names_a_known_variation()
    {
        var assembly = new DefaultTestAssemblyBuilder().Build(typeof(VariationCoverageTests).Assembly, new Dictionary<string, object>());
        var tested = FaultCoverageTests.RunnableTests(assembly)
            .SelectMany(test => test.Properties[VariationTests.Property].Cast<string>())
            .ToHashSet(StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(SandboxVariations.Known.Keys.Where(variation => !tested.Contains(variation)), Is.Empty,
                "known variations without a test marked [VariationTest(name)]");
            Assert.That(tested.Where(variation => !SandboxVariations.Known.ContainsKey(variation)), Is.Empty, "tests naming a variation the sandbox does not know");
        });
    }
}
