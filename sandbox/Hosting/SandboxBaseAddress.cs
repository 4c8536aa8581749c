using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace DemoHealthPlan.Sandbox.Hosting;

/// <summary>
/// The base URL the sandbox actually listens on. With port 0 the real port exists only once Kestrel has bound, so it is
/// resolved on first use (after start) rather than read from configuration; the issuer and fhirUser URLs derive from it.
/// </summary>
public sealed class SandboxBaseAddress(IServer server)
{
    private Uri? _value;

    /// <summary>Absolute base URL with a trailing slash, e.g. <c>http://127.0.0.1:5080/</c>.</summary>
    public Uri Value => _value ??= Resolve();

    private Uri Resolve()
    {
        var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The sandbox is not listening on any address yet.");
        var uri = new Uri(first.Replace("://[::]", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1")
            .Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1"));
        if (uri.Port == 0)
            throw new InvalidOperationException("The sandbox's port is not known before the server has started.");
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }
}
