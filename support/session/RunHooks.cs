using DigitalInsurance.Conformance.Support.Redaction;
using NUnit.Framework;
using Reqnroll;

namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>Starts the run's target, mailbox, browser and validator before the first scenario, and stops them after the last.</summary>
[Binding]
public sealed class RunHooks
{
    [BeforeTestRun(Order = 0)]
    public static async Task StartRunAsync(ConformanceRunHandle handle)
    {
        var parameters = TestContext.Parameters.Names.ToDictionary(name => name, name => (string?)TestContext.Parameters[name]);
        var run = await handle.StartAsync(parameters);
        TestContext.Progress.WriteLine(Secrets.Redact(
            $"Conformance run {run.RunId} against {run.TargetName}: authorization {run.AuthorizeEndpoint}, FHIR {run.FhirBaseUrl}"));
    }

    [AfterTestRun(Order = 1000)]
    public static Task EndRunAsync(ConformanceRunHandle handle) => handle.EndAsync();

    [AfterScenario(Order = 0)]
    public static async Task FinishScenarioAsync(ScenarioContext scenario, ConformanceRunHandle handle)
    {
        if (handle.Started is null) return;
        if (scenario.ScenarioContainer.IsRegistered<ConformanceScenario>())
            await scenario.ScenarioContainer.Resolve<ConformanceScenario>().FinishAsync(failed: scenario.TestError is not null);
    }

}
