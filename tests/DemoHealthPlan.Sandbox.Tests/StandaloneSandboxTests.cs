using System.Net;
using System.Text.Json.Nodes;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests;

/// <summary>
/// The sandbox run the way a new user runs it (<c>dotnet DemoHealthPlan.Sandbox.dll --urls http://127.0.0.1:port</c>, as
/// <c>dotnet run --project sandbox</c> does): what it prints and what it serves, as the issue's "done when" lists it.
/// </summary>
[NonParallelizable]
public class StandaloneSandboxTests
{
    private const int MailPort = 2626;

    private StandaloneSandbox _sandbox = null!;
    private Uri _baseUrl = null!;
    private string _stateFolder = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [OneTimeSetUp]
    public async Task StartTheSandboxProcess()
    {
        _baseUrl = new Uri($"http://127.0.0.1:{StandaloneSandbox.FreeLoopbackPort()}/");
        // An own state folder, so that killing the process leaves nothing behind once the folder is deleted.
        _stateFolder = Path.Combine(Path.GetTempPath(), "dhp-standalone-test-" + Guid.NewGuid().ToString("N"));
        _sandbox = StandaloneSandbox.Start(
            "--urls", _baseUrl.AbsoluteUri.TrimEnd('/'),
            "--Sandbox:StateFolder", _stateFolder,
            "--Sandbox:Smtp:Port", MailPort.ToString());
        await _sandbox.WaitForBannerAsync();
    }

    [OneTimeTearDown]
    public void StopTheSandboxProcess()
    {
        _http.Dispose();
        _sandbox?.Dispose();
        if (Directory.Exists(_stateFolder)) Directory.Delete(_stateFolder, recursive: true);
    }

    private Uri Url(string path) => new(_baseUrl, path);

    [Test]
    public void It_prints_its_endpoints_the_test_client_and_where_mail_goes()
    {
        var banner = _sandbox.BannerValues();
        Assert.Multiple(() =>
        {
            Assert.That(banner.GetValueOrDefault("Authorization endpoint"), Is.EqualTo(Url("oauth2/authorize/digitalinsurance").AbsoluteUri));
            Assert.That(banner.GetValueOrDefault("Token endpoint"), Is.EqualTo(Url("oauth2/token").AbsoluteUri));
            Assert.That(banner.GetValueOrDefault("SMART configuration"), Is.EqualTo(Url(".well-known/smart-configuration").AbsoluteUri));
            Assert.That(banner.GetValueOrDefault("FHIR base URL"), Is.EqualTo(Url("r4/").AbsoluteUri));
            Assert.That(banner.GetValueOrDefault("Test client"), Does.StartWith("client_id=dic-conformance-test-client, client_secret=sandbox-only-fake-secret"));
            Assert.That(banner.GetValueOrDefault("Redirect URI(s)"), Is.EqualTo("https://dic-conformance.example/callback"));
            Assert.That(banner.GetValueOrDefault("Verification mail"), Does.StartWith($"smtp://127.0.0.1:{MailPort} "), "the port given on the command line");
            Assert.That(banner.GetValueOrDefault("State folder"), Is.EqualTo(_stateFolder));
            Assert.That(banner.GetValueOrDefault("Faults"), Is.EqualTo("none"));
            Assert.That(_sandbox.Stdout, Has.Some.StartsWith("Test Member 1: Jason Argonaut, birthdate 01/01/1986, member ID 08-testmemid, postal code 02114"));
            Assert.That(_sandbox.Stderr, Is.Empty);
        });
    }

    [Test]
    public async Task It_serves_the_smart_configuration_naming_the_printed_endpoints()
    {
        using var response = await _http.GetAsync(Url(".well-known/smart-configuration"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var smart = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That((string?)smart["authorization_endpoint"], Is.EqualTo(_sandbox.BannerValues()["Authorization endpoint"]));
        Assert.That((string?)smart["token_endpoint"], Is.EqualTo(_sandbox.BannerValues()["Token endpoint"]));
    }

    [Test]
    public async Task It_serves_the_fhir_capability_statement()
    {
        using var response = await _http.GetAsync(Url("r4/metadata"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/fhir+json"));
        var statement = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(((string?)statement["resourceType"], (string?)statement["fhirVersion"]), Is.EqualTo(("CapabilityStatement", "4.0.1")));
    }

    [Test]
    public async Task It_refuses_fhir_searches_without_a_token_with_401()
    {
        using var response = await _http.GetAsync(Url("r4/Patient"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.Select(c => c.Scheme), Is.EqualTo(new[] { "Bearer" }));
    }

    [Test]
    public async Task It_answers_a_bogus_token_request_with_a_json_oauth_error()
    {
        using var response = await _http.PostAsync(Url("oauth2/token"),
            new FormUrlEncodedContent([new("grant_type", "authorization_code"), new("code", "not-a-code")]));
        Assert.That((int)response.StatusCode, Is.InRange(400, 401));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That((string?)error["error"], Is.Not.Empty);
    }
}

/// <summary>A configuration mistake on the command line: one line on stderr and exit code 2, no stack trace, no banner.</summary>
[NonParallelizable]
public class StandaloneSandboxConfigurationErrorTests
{
    [Test]
    public async Task An_unknown_fault_exits_with_code_2_and_one_line_on_stderr()
    {
        using var sandbox = StandaloneSandbox.Start("--urls", $"http://127.0.0.1:{StandaloneSandbox.FreeLoopbackPort()}", "--Sandbox:Faults=no-such-fault");
        await sandbox.WaitForExitAsync();

        var errorLines = sandbox.Stderr.Where(line => line.Trim().Length > 0).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sandbox.ExitCode, Is.EqualTo(2));
            Assert.That(errorLines, Has.Count.EqualTo(1), string.Join('\n', errorLines));
            Assert.That(errorLines.FirstOrDefault(), Does.StartWith("Sandbox configuration error: ").And.Contain("no-such-fault"));
            Assert.That(sandbox.Stdout.Concat(sandbox.Stderr), Has.None.Match(@"^\s+at \S+\(").And.None.Contains("Exception"), "no stack trace");
            Assert.That(sandbox.Stdout, Has.None.Contains(StandaloneSandbox.BannerEnd));
        });
    }
}
