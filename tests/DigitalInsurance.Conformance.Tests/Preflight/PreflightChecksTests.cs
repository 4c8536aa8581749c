using DigitalInsurance.Conformance.Tests.Checks;
using DigitalInsurance.Conformance.Support.Rules;
using DemoHealthPlan.Sandbox.Hosting;
using DigitalInsurance.Conformance.Support.Mail;
using DigitalInsurance.Conformance.Support.Preflight;
using DigitalInsurance.Conformance.Tests.Mail;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Preflight;

/// <summary>The preflight checks against real servers: the embedded sandbox, Dovecot, and addresses where nothing answers.</summary>
public class PreflightChecksTests
{
    private static readonly PreflightTimeouts Quick = new() { Dns = TimeSpan.FromSeconds(5), Connect = TimeSpan.FromSeconds(5), Http = TimeSpan.FromSeconds(10), MailboxLogin = TimeSpan.FromSeconds(10) };

    private SmtpInbox _inbox = null!;
    private SandboxServer _sandbox = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _inbox = await SmtpInbox.StartAsync(port: 0);
        _sandbox = await SandboxServer.StartAsync(new SandboxStartOptions { SmtpHost = _inbox.Host, SmtpPort = _inbox.Port });
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
        await _inbox.DisposeAsync();
    }

    private Uri Metadata => new(_sandbox.Endpoints.FhirBaseUrl, "metadata");

    private PreflightChecks.ServerProbe[] SandboxServers =>
    [
        new("authorization server", _sandbox.Endpoints.AuthorizeEndpoint, "authBaseUrl", RequireSuccess: false),
        new("FHIR server", Metadata, "fhirBaseUrl", RequireSuccess: true),
    ];

    [Test]
    public async Task The_embedded_sandbox_passes_every_network_check()
    {
        var servers = await PreflightChecks.CheckServersAsync(SandboxServers, _http, Quick);
        var discovery = await PreflightChecks.CheckSmartDiscoveryAsync(_sandbox.Endpoints.FhirBaseUrl, _sandbox.Endpoints.AuthorizeEndpoint, _sandbox.Endpoints.TokenEndpoint, _http, Quick);
        var mailbox = await PreflightChecks.CheckMailboxAsync(_inbox, Quick);

        Assert.That(servers.Problems.Concat(discovery.Problems).Concat(mailbox.Problems).Select(p => p.Line), Is.Empty);
        // Both servers share the sandbox's host and port: one TCP check, two HTTP checks.
        Assert.That(servers.Findings.Select(f => f.Check), Is.EqualTo(new[] { "TCP 127.0.0.1:" + _sandbox.Endpoints.BaseUrl.Port, "HTTP authorization server", "HTTP FHIR server" }));
        Assert.DoesNotThrow(() => new PreflightRules(TestChecks.Default()).RequireNoProblems(servers));
    }

    [Test]
    public async Task A_host_that_does_not_resolve_is_one_line_naming_the_setting_and_no_further_probe()
    {
        PreflightChecks.ServerProbe[] servers = [new("authorization server", new Uri("https://auth.payer.invalid/oauth2/authorize/digitalinsurance"), "authBaseUrl", false)];

        var report = await PreflightChecks.CheckServersAsync(servers, _http, Quick);

        Assert.That(report.Findings, Has.Count.EqualTo(1));
        Assert.That(report.Problems.Single().Line, Does.StartWith("FAIL  DNS auth.payer.invalid: the authorization server's host does not resolve")
            .And.Contain("Fix: check authBaseUrl (DIC_AUTH_BASE_URL)"));
    }

    [Test]
    public async Task A_port_where_nothing_listens_is_refused()
    {
        var port = LoopbackPorts.Free();
        PreflightChecks.ServerProbe[] servers = [new("FHIR server", new Uri($"http://127.0.0.1:{port}/r4/metadata"), "fhirBaseUrl", true)];

        var report = await PreflightChecks.CheckServersAsync(servers, _http, Quick);

        Assert.That(report.Problems.Single().Line, Does.StartWith($"FAIL  TCP 127.0.0.1:{port}: the FHIR server refused or dropped the connection (ConnectionRefused).")
            .And.Contain("Fix: check the host and port in fhirBaseUrl (DIC_FHIR_BASE_URL)"));
    }

    [Test]
    public async Task A_wrong_FHIR_base_answers_an_error_status_and_says_to_check_the_path()
    {
        var wrongBase = new Uri(_sandbox.Endpoints.BaseUrl, "fhir/r4/metadata");
        PreflightChecks.ServerProbe[] servers = [new("FHIR server", wrongBase, "fhirBaseUrl", true)];

        var report = await PreflightChecks.CheckServersAsync(servers, _http, Quick);

        Assert.That(report.Problems.Single().Line, Does.StartWith($"FAIL  HTTP FHIR server: GET {wrongBase} answered 404")
            .And.EndWith("Fix: check fhirBaseUrl (DIC_FHIR_BASE_URL): the path is probably wrong."));
    }

    [Test]
    public async Task A_token_endpoint_other_than_the_advertised_one_names_both()
    {
        var configured = new Uri(_sandbox.Endpoints.BaseUrl, "oauth/token");

        var report = await PreflightChecks.CheckSmartDiscoveryAsync(_sandbox.Endpoints.FhirBaseUrl, _sandbox.Endpoints.AuthorizeEndpoint, configured, _http, Quick);

        Assert.That(report.Problems.Select(p => p.Line), Is.EqualTo(new[]
        {
            $"FAIL  SMART token_endpoint: the payer advertises {_sandbox.Endpoints.TokenEndpoint}, but the harness would post to {configured}. " +
            "Fix: set authBaseUrl and tokenPath (DIC_AUTH_BASE_URL, DIC_TOKEN_PATH) so that they name the advertised token endpoint.",
        }));
    }

    [Test]
    public async Task An_IMAP_server_that_is_not_there_fails_the_mailbox_check_with_its_settings()
    {
        var port = LoopbackPorts.Free();
        await using var imap = new ImapInbox(new ImapInboxOptions { Host = "127.0.0.1", Port = port, UseTls = false, User = "qa@mail.example", Password = "dummy-password" });

        var report = await PreflightChecks.CheckMailboxAsync(imap, Quick);

        Assert.That(report.Problems.Single().Line, Does.StartWith($"FAIL  mailbox login: Could not connect to the IMAP server 127.0.0.1:{port}")
            .And.Contain("imapHost, imapPort and imapUseTls"));
        Assert.That(Assert.Throws<PreflightFailedException>(() => new PreflightRules(TestChecks.Default()).RequireNoProblems(report))!.Message, Does.StartWith("[harness-preflight] mailbox login: 1 problem"));
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // Dovecot runs on Linux only
    public async Task A_real_IMAP_mailbox_passes_the_login_check()
    {
        await using var dovecot = await DovecotMailServer.StartAsync();
        await using var imap = new ImapInbox(new ImapInboxOptions
        {
            Host = dovecot.Host, Port = dovecot.ImapsPort, UseTls = true, AcceptInvalidCertificate = true, User = DovecotMailServer.User, Password = dovecot.Password,
        });

        var report = await PreflightChecks.CheckMailboxAsync(imap, Quick);

        Assert.That(report.Problems.Select(p => p.Line), Is.Empty);
        Assert.That(report.Findings.Single().Line, Does.StartWith("ok    mailbox login: logged in to the IMAP mailbox INBOX"));
    }
}
