using Microsoft.Data.Sqlite;

namespace DemoHealthPlan.Sandbox.Hosting;

/// <summary>
/// The sandbox's start API: options in, endpoints out. Hosts it in-process on loopback; dispose to stop.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxServer(WebApplication app, SandboxEndpoints endpoints)
    {
        _app = app;
        Endpoints = endpoints;
    }

    public SandboxEndpoints Endpoints { get; }

    /// <summary>The sandbox's time, which the host may move forward (in-process only) to pass lifetimes without waiting.</summary>
    public SandboxClock Clock => _app.Services.GetRequiredService<SandboxClock>();

    /// <summary>How long its authorization codes live, as configured or as its variations choose (a host must not assume a default).</summary>
    public TimeSpan CodeLifetime => _app.Services.GetRequiredService<SandboxSettings>().CodeLifetime;

    /// <summary>The running sandbox's services, for its own tests.</summary>
    internal IServiceProvider Services => _app.Services;

    public static async Task<SandboxServer> StartAsync(SandboxStartOptions options, CancellationToken cancellationToken = default)
    {
        var app = SandboxApp.Build([], options);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var endpoints = SandboxApp.DescribeEndpoints(app);
        return new SandboxServer(app, endpoints);
    }

    public async ValueTask DisposeAsync()
    {
        var settings = _app.Services.GetRequiredService<SandboxSettings>();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (settings.StateFolderIsTemporary) DeleteStateFolder(settings.StateFolder);
    }

    internal static void DeleteStateFolder(string folder)
    {
        // Pooled SQLite connections keep the database file open; release them so the folder can go.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless; stopping must not fail because of it.
        }
    }

    internal static Uri BoundAddress(WebApplication app) => app.Services.GetRequiredService<SandboxBaseAddress>().Value;
}
