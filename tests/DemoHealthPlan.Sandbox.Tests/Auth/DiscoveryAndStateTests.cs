using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using DemoHealthPlan.Sandbox.Auth;
using DemoHealthPlan.Sandbox.Hosting;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>What the authorization server publishes (SMART and OpenID discovery) and what it keeps in the state folder.</summary>
[TestFixture]
public class DiscoveryTests
{
    private TestSandbox _sandbox = null!;
    private readonly HttpClient _http = new();

    [OneTimeSetUp]
    public async Task Start() => _sandbox = await TestSandbox.StartAsync();

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    private async Task<JsonNode> GetJsonAsync(string path) =>
        JsonNode.Parse(await _http.GetStringAsync(new Uri(_sandbox.Endpoints.BaseUrl, path)))!;

    private string Url(string path) => new Uri(_sandbox.Endpoints.BaseUrl, path).AbsoluteUri;

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    [Test, Description("/.well-known/smart-configuration advertises the SMART standalone-launch capabilities and only S256, secret-based auth")]
    public async Task SmartConfiguration_DescribesTheServer()
    {
        var smart = await GetJsonAsync(".well-known/smart-configuration");

        Assert.That(smart["issuer"]!.GetValue<string>(), Is.EqualTo(_sandbox.Endpoints.BaseUrl.AbsoluteUri));
        Assert.That(smart["authorization_endpoint"]!.GetValue<string>(), Is.EqualTo(_sandbox.Endpoints.AuthorizeEndpoint.AbsoluteUri));
        Assert.That(smart["token_endpoint"]!.GetValue<string>(), Is.EqualTo(_sandbox.Endpoints.TokenEndpoint.AbsoluteUri));
        Assert.That(smart["jwks_uri"]!.GetValue<string>(), Is.EqualTo(Url(".well-known/jwks")));
        Assert.That(Strings(smart["capabilities"]), Is.SupersetOf(new[]
        {
            "launch-standalone", "client-confidential-symmetric", "context-standalone-patient", "permission-patient", "sso-openid-connect",
        }));
        Assert.That(Strings(smart["code_challenge_methods_supported"]), Is.EqualTo(new[] { "S256" }));
        Assert.That(Strings(smart["token_endpoint_auth_methods_supported"]), Is.EquivalentTo(new[] { "client_secret_post", "client_secret_basic" }));
        Assert.That(Strings(smart["response_types_supported"]), Is.EqualTo(new[] { "code" }));
        Assert.That(Strings(smart["grant_types_supported"]), Is.EqualTo(new[] { "authorization_code", "refresh_token" }));
        Assert.That(Strings(smart["scopes_supported"]), Is.SupersetOf(new[] { "openid", "fhirUser", "patient/*.read" }));
    }

    [Test, Description("OpenID discovery agrees: same issuer and endpoints, no 'plain' PKCE, no private_key_jwt")]
    public async Task OpenIdConfiguration_AgreesWithSmartConfiguration()
    {
        var oidc = await GetJsonAsync(".well-known/openid-configuration");

        Assert.That(oidc["issuer"]!.GetValue<string>(), Is.EqualTo(_sandbox.Endpoints.BaseUrl.AbsoluteUri));
        Assert.That(oidc["authorization_endpoint"]!.GetValue<string>(), Is.EqualTo(_sandbox.Endpoints.AuthorizeEndpoint.AbsoluteUri));
        Assert.That(oidc["token_endpoint"]!.GetValue<string>(), Is.EqualTo(_sandbox.Endpoints.TokenEndpoint.AbsoluteUri));
        Assert.That(oidc["jwks_uri"]!.GetValue<string>(), Is.EqualTo(Url(".well-known/jwks")));
        Assert.That(Strings(oidc["code_challenge_methods_supported"]), Is.EqualTo(new[] { "S256" }));
        Assert.That(Strings(oidc["token_endpoint_auth_methods_supported"]), Is.EquivalentTo(new[] { "client_secret_post", "client_secret_basic" }));
        Assert.That(Strings(oidc["id_token_signing_alg_values_supported"]), Does.Contain("RS256"));
    }

    [Test, Description("The JWKS publishes the RSA signing key (with kid) and nothing private")]
    public async Task Jwks_PublishesThePublicSigningKey()
    {
        var keys = await IdTokens.PublishedKeysAsync(_sandbox);
        var signing = keys.Keys.Where(k => k.Use is "sig" or null).ToList();
        Assert.That(signing, Has.Count.GreaterThanOrEqualTo(1));
        Assert.That(signing[0].Kty, Is.EqualTo("RSA"));
        Assert.That(signing[0].Kid, Is.Not.Empty);
        Assert.That(keys.Keys.Select(k => k.D), Has.All.Null, "no private key material");
    }
}

[TestFixture]
public class StateFolderTests
{
    [Test, Description("Database, PEM keys and data-protection keys live in the configured state folder; keys survive a restart")]
    public async Task State_IsKeptInTheStateFolderAcrossRestarts()
    {
        var folder = Path.Combine(Path.GetTempPath(), "dhp-state-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            string kidBefore;
            await using (var first = await TestSandbox.StartAsync(stateFolder: folder))
            {
                kidBefore = (await IdTokens.PublishedKeysAsync(first)).Keys[0].Kid;
                await first.AuthorizeAsync(TestMembers.JasonArgonaut);
            }

            Assert.That(File.Exists(Path.Combine(folder, AuthRegistration.DatabaseFile)));
            Assert.That(File.ReadAllText(Path.Combine(folder, "signing-key.pem")), Does.StartWith("-----BEGIN PRIVATE KEY-----"));
            Assert.That(File.ReadAllText(Path.Combine(folder, "encryption-key.pem")), Does.StartWith("-----BEGIN PRIVATE KEY-----"));
            Assert.That(Directory.GetFiles(Path.Combine(folder, AuthRegistration.DataProtectionFolder), "*.xml"), Is.Not.Empty);

            await using var second = await TestSandbox.StartAsync(stateFolder: folder);
            Assert.That((await IdTokens.PublishedKeysAsync(second)).Keys[0].Kid, Is.EqualTo(kidBefore));
            Assert.That(Directory.Exists(folder), "a configured state folder is never deleted");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test, Description("A temporary state folder (none configured) is removed when the sandbox stops")]
    public async Task TemporaryStateFolder_IsRemovedOnStop()
    {
        var sandbox = await TestSandbox.StartAsync();
        await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut);
        var stateFolder = sandbox.Server.Services.GetRequiredService<SandboxSettings>().StateFolder;
        Assert.That(File.Exists(Path.Combine(stateFolder, AuthRegistration.DatabaseFile)));

        await sandbox.DisposeAsync();
        Assert.That(Directory.Exists(stateFolder), Is.False);
    }
}
