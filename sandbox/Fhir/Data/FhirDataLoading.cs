using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DemoHealthPlan.Sandbox.Fhir.Data;

/// <summary>
/// Reads the data folder in the background from the moment the app is composed, so parsing the FHIR files overlaps
/// with creating the database and starting Kestrel (together they were most of a cold start). As a hosted service it
/// holds startup until the data is in, so a bad file still stops the start with the error naming it.
/// </summary>
internal sealed class FhirDataLoading(string dataFolder) : IHostedService
{
    private readonly Task<FhirResourceStore> _loading = Task.Run(() => FhirDataLoader.Load(dataFolder));

    /// <summary>The loaded store; only resolved after startup, when loading has finished.</summary>
    public FhirResourceStore Store => _loading.GetAwaiter().GetResult();

    /// <summary>Where the one warning line about data served as it is goes (set when the host is built).</summary>
    public ILogger? Logger { get; set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var store = await _loading.WaitAsync(cancellationToken);
        if (store.LoadWarnings.Count > 0)
            Logger?.LogWarning("{Message}", WarningLine(store.LoadWarnings));
    }

    /// <summary>One line for every data file served although FHIR R4 does not allow some of its content.</summary>
    public static string WarningLine(IReadOnlyList<string> warnings) =>
        $"Sandbox data: {warnings.Count} file(s) served as they are although FHIR R4 does not allow some of their content " +
        $"(the harness will judge them): {string.Join("; ", warnings)}";

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
