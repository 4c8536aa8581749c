using System.Diagnostics;
using DemoHealthPlan.Sandbox.Hosting;
using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Mail;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Reporting;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Browser;

/// <summary>
/// Browsers on a browser farm: the harness connects to a Playwright server (`playwright run-server` from the
/// repository's playwright-core, the same version as Microsoft.Playwright) and the member flow runs in the Chromium
/// that the server launched.
/// </summary>
public class RemoteBrowserTests
{
    private static readonly EnrollmentDetails Jason = new("Jason", "Argonaut", "01/01/1986", "08-testmemid", "02114");

    private Process _server = null!;
    private Uri _endpoint = null!;

    [OneTimeSetUp]
    public async Task StartPlaywrightServer()
    {
        var cli = Path.Combine(RepositoryFiles.Root, "node_modules", "playwright-core", "cli.js");
        if (!File.Exists(cli)) await InstallNodePackagesAsync(cli);

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        // --unsafe lets this client name the Chromium to launch (the machine's own); a farm would use its own browsers.
        foreach (var argument in new[] { cli, "run-server", "--host", "127.0.0.1", "--port", "0", "--unsafe" }) start.ArgumentList.Add(argument);
        _server = Process.Start(start)!;
        var listening = _server.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(listening, Task.Delay(TimeSpan.FromSeconds(30))) != listening || listening.Result is not { } line || !line.StartsWith("Listening on ", StringComparison.Ordinal))
        {
            _server.Kill(entireProcessTree: true);
            Assert.Fail($"playwright run-server did not start: {await _server.StandardError.ReadToEndAsync()}");
        }
        _endpoint = new Uri(listening.Result!["Listening on ".Length..].Trim());
    }

    /// <summary>`npm ci` at the repository root, as a fresh clone needs once (package.json pins playwright-core).</summary>
    private static async Task InstallNodePackagesAsync(string cli)
    {
        ProcessEnd npm;
        try
        {
            npm = await ChildProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"],
                new ChildProcessOptions { WorkingDirectory = RepositoryFiles.Root });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail($"{cli} is missing and npm is not installed: install Node.js 20+ and run `npm ci` at the repository root (package.json pins playwright-core {BrowserHost.PlaywrightVersion}).");
            return;
        }
        if (npm.ExitCode != 0 || !File.Exists(cli))
            Assert.Fail($"`npm ci` at the repository root did not install playwright-core (exit code {npm.ExitCode?.ToString() ?? "none: killed"}): {npm.Output}");
    }

    [OneTimeTearDown]
    public async Task StopPlaywrightServer()
    {
        if (_server is null) return;
        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        _server.Dispose();
    }

    [Test]
    public async Task The_member_flow_runs_in_a_Chromium_launched_by_the_Playwright_server()
    {
        await using var inbox = await SmtpInbox.StartAsync(port: 0);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxStartOptions { SmtpHost = inbox.Host, SmtpPort = inbox.Port });
        var settings = new BrowserSettings { ServerEndpoint = _endpoint, ExecutablePath = ChromiumLocator.Find(null), ActionTimeout = TimeSpan.FromSeconds(20) };
        await using var browser = await BrowserHost.StartAsync(settings);

        Assert.That(ChromiumProcessesUnder(_server.Id), Is.Not.Empty, "the server, not this process, launched the Chromium");
        Assert.That(browser.BrowserVersion, Does.Match(@"^Chromium \d+\.\d+.* on the Playwright server ws://127\.0\.0\.1:\d+/"));

        var endpoints = sandbox.Endpoints;
        var request = new AuthorizationRequest
        {
            AuthorizeEndpoint = endpoints.AuthorizeEndpoint,
            ClientId = endpoints.TestClient.ClientId,
            RedirectUri = endpoints.TestClient.RedirectUris[0],
            Scope = "patient/*.read",
            State = AuthorizationRequest.NewState(),
            Audience = endpoints.FhirBaseUrl.AbsoluteUri.TrimEnd('/'),
        };
        var email = $"member+{Guid.NewGuid():N}@dic-conformance.example";
        var evidence = new ScenarioEvidence();
        await using (var session = await MemberBrowserSession.StartAsync(browser, EnrollmentPageModel.Load(RepositoryFiles.PageModel("sandbox")), evidence, "remote browser"))
        {
            await session.OpenAuthorizationPageAsync(request.ToUri());
            var requestedAt = DateTimeOffset.UtcNow;
            await session.CreateAccountAsync(Jason, email);
            var mail = await inbox.WaitForMailAsync(new MailQuery(email, requestedAt), TimeSpan.FromSeconds(30));
            await session.EnterVerificationCodeAsync(new VerificationCodeExtractor().Extract(mail));
            await session.AllowAsync();
            var redirect = await session.WaitForRedirectAsync();
            await session.StopAsync(failed: true); // keeps the trace: it travels back from the server too

            Assert.That(redirect.Error, Is.Null, redirect.ErrorDescription);
            Assert.That(redirect.State, Is.EqualTo(request.State));
            Assert.That(redirect.Code, Is.Not.Null.And.Not.Empty);
        }
        Assert.That(evidence.All.Count(e => e.MediaType == "image/png"), Is.EqualTo(6));
        Assert.That(evidence.All.Where(e => e.MediaType == "application/zip").Select(e => e.Content.Length), Has.One.GreaterThan(0));
    }

    [Test]
    public void Without_a_server_at_the_endpoint_the_start_fails_naming_the_setting()
    {
        var nobody = new Uri($"ws://127.0.0.1:{LoopbackPorts.Free()}/");

        var error = Assert.ThrowsAsync<BrowserFlowException>(() => BrowserHost.StartAsync(new BrowserSettings { ServerEndpoint = nobody }));

        Assert.That(error!.Message, Does.StartWith($"No browser from the Playwright server at {nobody}")
            .And.Contain("browserServerEndpoint (DIC_BROWSER_SERVER_ENDPOINT)").And.Contain($"Playwright {BrowserHost.PlaywrightVersion}"));
    }

    [Test]
    public void The_endpoint_setting_takes_a_websocket_url_only()
    {
        var bound = SettingsBinder.Bind(new Dictionary<string, string?> { ["browserServerEndpoint"] = "ws://farm.example:3000/" }, new Dictionary<string, string?>());
        var error = Assert.Throws<SettingsException>(() =>
            SettingsBinder.Bind(new Dictionary<string, string?>(), new Dictionary<string, string?> { ["DIC_BROWSER_SERVER_ENDPOINT"] = "http://farm.example:3000/" }));

        Assert.That(bound.Browser.ServerEndpoint, Is.EqualTo(new Uri("ws://farm.example:3000/")));
        Assert.That(error!.Message, Does.Contain("browserServerEndpoint").And.Contain("ws://"));
    }

    /// <summary>Chromium processes whose ancestors include <paramref name="parentId"/> (Linux /proc).</summary>
    private static List<int> ChromiumProcessesUnder(int parentId)
    {
        var parents = new Dictionary<int, int>();
        var commands = new Dictionary<int, string>();
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                // "pid (comm) state ppid …": comm may hold spaces, so read after its closing parenthesis.
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                commands[pid] = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process ended while being read.
            }
        }
        bool Descends(int pid)
        {
            for (var current = pid; parents.TryGetValue(current, out var parent) && current > 1; current = parent)
                if (parent == parentId) return true;
            return false;
        }
        return commands.Where(c => Descends(c.Key) && c.Value.Contains("chrom", StringComparison.OrdinalIgnoreCase)).Select(c => c.Key).ToList();
    }
}
