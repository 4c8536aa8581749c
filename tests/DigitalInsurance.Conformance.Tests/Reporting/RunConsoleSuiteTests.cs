using DigitalInsurance.Conformance.Tests.Runner;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Reporting;

/// <summary>
/// A real suite run against a sandbox that breaks a Coverage rule: the console shows each scenario as it finishes and the
/// summary at the end, and the payer's non-conformance reaches TRX as its message without a .NET stack trace.
/// </summary>
[NonParallelizable]
public class RunConsoleSuiteTests
{
    [Test]
    public async Task A_run_prints_a_line_per_scenario_and_a_summary_grouping_the_failures_by_requirement()
    {
        var (results, output) = await ConformanceSuiteProcess.RunAsync(
            new Dictionary<string, string> { ["DIC_SANDBOX_FAULTS"] = "coverage-missing-beneficiary" },
            TimeSpan.FromMinutes(5),
            "-s", "runsettings/sandbox.runsettings", "--filter", "TestCategory=coverage", "--logger", "console;verbosity=normal");

        var failed = results.All.Where(r => r.Outcome == "Failed").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.Not.Empty, "the fault must fail a Coverage scenario, or this test proves nothing");
            Assert.That(failed.Select(f => f.StackTrace.Trim()), Has.All.Empty, "a payer's non-conformance carries no stack trace in TRX");
            Assert.That(failed.Select(f => f.Message), Has.All.Match("^\\s*\\["), "each failure's message starts with its rule");
            Assert.That(output, Does.Match(@"(?m)^FAILED  .+  \[[a-z0-9-]+\]\s*$"), "a line per failed scenario naming its rule");
            Assert.That(output, Does.Match(@"(?m)^passed  .+$"), "a line per passed scenario");
            Assert.That(output, Does.Contain($"Conformance run: {results.All.Count} scenario(s): "));
            Assert.That(output, Does.Match(@"(?m)^Failures by requirement:\s*$\n^  \[[a-z0-9-]+\]: \d+"));
            Assert.That(output, Does.Contain("  Allure results: ").And.Contain("Build the Allure report: ").And.Contain("npm run report"));
        });
    }
}
