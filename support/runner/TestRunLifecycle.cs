using System.Reflection;
using NUnit.Framework;
using Reqnroll;

namespace DigitalInsurance.Conformance.Support.Runner;

/// <summary>
/// Keeps a failed test run start instead of letting NUnit report it: NUnit would prefix every test with
/// "OneTimeSetUp:", the exception type and a stack trace, and then report the teardown's follow-up errors.
/// Each scenario reports the start failure itself (<see cref="StartFailure"/>).
/// </summary>
internal static class TestRunLifecycle
{
    private static Exception? _startFailure;

    /// <summary>The exception of a failed test run start ([BeforeTestRun] hooks, Reqnroll's own setup), if it failed.</summary>
    public static Exception? StartFailure => _startFailure;

    public static async Task StartAsync(Assembly testAssembly)
    {
        try
        {
            await TestRunnerManager.OnTestRunStartAsync(testAssembly);
        }
        catch (Exception e)
        {
            _startFailure = e;
        }
    }

    public static async Task EndAsync(Assembly testAssembly)
    {
        try
        {
            // Also after a failed start: [AfterTestRun] hooks release what was set up, formatters write their reports.
            await TestRunnerManager.OnTestRunEndAsync(testAssembly);
            HarnessWiring.TestRunEnded();
        }
        catch (Exception e) when (_startFailure is not null)
        {
            await TestContext.Progress.WriteLineAsync($"The test run end after the failed start also failed: {e.GetType().Name}: {HarnessWiring.Redact(e).Message}");
        }
    }
}
