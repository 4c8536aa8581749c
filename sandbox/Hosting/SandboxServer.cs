using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

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

    public static async Task<SandboxServer> StartAsync(SandboxStartOptions options, CancellationToken cancellationToken = default)
    {
        var app = SandboxApp.Build([], options);
        await app.StartAsync(cancellationToken);
        var endpoints = SandboxApp.DescribeEndpoints(app);
        return new SandboxServer(app, endpoints);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal static Uri BoundAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("The sandbox is not listening on any address.");
        return new Uri(first.Replace("://[::]", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1"));
    }
}
