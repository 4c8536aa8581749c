using System.Net;
using System.Net.Sockets;

namespace DigitalInsurance.Conformance.Tests;

/// <summary>Loopback ports for servers the tests start themselves, or for a port where nobody listens.</summary>
internal static class LoopbackPorts
{
    /// <summary>A port free at the moment of asking (the system picks it; it is released at once).</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
