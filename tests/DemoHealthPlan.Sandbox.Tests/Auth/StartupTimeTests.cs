using System.Diagnostics;
using DemoHealthPlan.Sandbox.Hosting;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>Reports how long an in-process start takes until the first request is served. Measured, printed, not asserted.</summary>
[TestFixture]
public class StartupTimeTests
{
    [Test, Description("SandboxServer.StartAsync until the first authorization request is answered (printed, not asserted)")]
    public async Task StartUntilFirstRequestServed_IsReported()
    {
        // The first start in a process also pays for JIT compilation; the later ones are what a test suite sees.
        for (var run = 1; run <= 3; run++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await using var server = await SandboxServer.StartAsync(new SandboxStartOptions());
            var started = clock.Elapsed;
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            using var response = await http.GetAsync(new Uri(server.Endpoints.AuthorizeEndpoint,
                $"?response_type=code&client_id={server.Endpoints.TestClient.ClientId}&redirect_uri={Uri.EscapeDataString(server.Endpoints.TestClient.RedirectUris[0].AbsoluteUri)}&state=s"));
            var served = clock.Elapsed;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

            Assert.That((int)response.StatusCode, Is.EqualTo(200), "the sign-in page was served");
            TestContext.Out.WriteLine(
                $"start #{run}: StartAsync {started.TotalMilliseconds:0} ms, first request served after {served.TotalMilliseconds:0} ms " +
                $"(process CPU {cpu.TotalMilliseconds:0} ms; load average {LoadAverage()})");
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
