using Microsoft.Extensions.Hosting;

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

    public Task StartAsync(CancellationToken cancellationToken) => _loading.WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
