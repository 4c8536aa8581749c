namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>
/// Where the test process's conformance run is found: one per process, in Reqnroll's global container (see
/// HarnessWiring.Session.cs), so the run reaches hooks and scenarios by injection. The [BeforeTestRun] hook starts the
/// run into it; whether it has started is <see cref="Started"/>, a value, not an exception to catch.
/// </summary>
public sealed class ConformanceRunHandle
{
    private ConformanceRun? _started;

    /// <summary>The run once the [BeforeTestRun] hook has started it; null before that, or when the start failed.</summary>
    public ConformanceRun? Started => Volatile.Read(ref _started);

    /// <summary>The started run, for code that only runs inside a started run (a scenario's steps).</summary>
    public ConformanceRun Run =>
        Started ?? throw new InvalidOperationException("The conformance run has not started: its [BeforeTestRun] hook did not run or failed.");

    public async Task<ConformanceRun> StartAsync(IReadOnlyDictionary<string, string?> parameters)
    {
        var run = await ConformanceRun.StartAsync(parameters);
        Volatile.Write(ref _started, run);
        return run;
    }

    public async Task EndAsync()
    {
        if (Interlocked.Exchange(ref _started, null) is { } run) await run.DisposeAsync();
    }
}
