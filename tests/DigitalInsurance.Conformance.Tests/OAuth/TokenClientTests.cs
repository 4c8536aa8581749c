using System.Net;
using System.Text;
using System.Text.Json;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Redaction;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.OAuth;

public class TokenClientTests
{
    private sealed record SeenRequest(string? Authorization, Dictionary<string, string> Form, string? ContentType);

    private LocalWebServer _server = null!;
    private HttpClient _http = null!;
    private SeenRequest? _seen;
    private string _nextBody = "{}";
    private int _nextStatus = 200;

    [OneTimeSetUp]
    public async Task StartTokenEndpoint()
    {
        _server = await LocalWebServer.StartAsync(app => app.MapPost("/oauth2/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            _seen = new SeenRequest(
                context.Request.Headers.Authorization.FirstOrDefault(),
                form.ToDictionary(f => f.Key, f => f.Value.ToString()),
                context.Request.ContentType);
            context.Response.StatusCode = _nextStatus;
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.Pragma = "no-cache";
            context.Response.ContentType = "application/json;charset=UTF-8";
            await context.Response.WriteAsync(_nextBody);
        }));
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private TokenClient Client(TokenAuthMethod method, string secret = "s3cret:with&odd chars") =>
        new(_http, new Uri(_server.BaseUrl, "oauth2/token"), "client-1", secret, method);

    [Test]
    public async Task Client_secret_post_sends_the_credentials_in_the_form()
    {
        _nextBody = "{}";
        _nextStatus = 200;
        await Client(TokenAuthMethod.ClientSecretPost).ExchangeCodeAsync("the-code-1", new Uri("http://localhost:8765/callback"), codeVerifier: null);

        Assert.That(_seen!.Authorization, Is.Null);
        Assert.That(_seen.ContentType, Does.StartWith("application/x-www-form-urlencoded"));
        Assert.That(_seen.Form, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = "the-code-1",
            ["redirect_uri"] = "http://localhost:8765/callback",
            ["client_id"] = "client-1",
            ["client_secret"] = "s3cret:with&odd chars",
        }));
    }

    [Test]
    public async Task Client_secret_basic_sends_form_encoded_credentials_in_the_header_only()
    {
        _nextBody = "{}";
        _nextStatus = 200;
        await Client(TokenAuthMethod.ClientSecretBasic).ExchangeCodeAsync("the-code-2", new Uri("http://localhost:8765/callback"), codeVerifier: "verifier-abcdefghijklmnopqrstuvwxyz-0123456789");

        Assert.That(_seen!.Authorization, Does.StartWith("Basic "));
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(_seen.Authorization!["Basic ".Length..]));
        Assert.That(decoded, Is.EqualTo("client-1:s3cret%3Awith%26odd+chars"), "RFC 6749 2.3.1 form-encodes id and secret before joining them");
        Assert.That(_seen.Form.Keys, Is.EquivalentTo(new[] { "grant_type", "code", "redirect_uri", "code_verifier" }));
    }

    [Test]
    public async Task Negative_requests_send_the_form_as_given_with_an_overriding_secret()
    {
        _nextBody = """{"error":"invalid_client","error_description":"The client credentials are invalid."}""";
        _nextStatus = 401;
        var response = await Client(TokenAuthMethod.ClientSecretPost).SendTokenRequestAsync(
            [new("grant_type", "authorization_code"), new("code", "reused-code")], TokenAuthMethod.ClientSecretPost, overrideSecret: "wrong-secret");

        Assert.That(_seen!.Form["client_secret"], Is.EqualTo("wrong-secret"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Error, Is.EqualTo("invalid_client"));
        Assert.That(response.ErrorDescription, Is.EqualTo("The client credentials are invalid."));
        Assert.That(Secrets.Redact("wrong-secret"), Does.Not.Contain("wrong-secret"));
    }

    [Test]
    public async Task An_empty_override_sends_no_secret_at_all()
    {
        _nextBody = "{}";
        _nextStatus = 400;
        await Client(TokenAuthMethod.ClientSecretBasic).SendTokenRequestAsync([new("grant_type", "authorization_code")], TokenAuthMethod.ClientSecretBasic, overrideSecret: "");

        Assert.That(_seen!.Authorization, Is.Null);
        Assert.That(_seen.Form.ContainsKey("client_secret"), Is.False);
        Assert.That(_seen.Form["client_id"], Is.EqualTo("client-1"));
    }

    [Test]
    public async Task A_successful_response_is_parsed_and_its_tokens_registered_as_secrets()
    {
        _nextStatus = 200;
        _nextBody = JsonSerializer.Serialize(new
        {
            access_token = "access-token-value-123",
            token_type = "Bearer",
            expires_in = 3600,
            scope = "patient/*.read",
            patient = "argonaut-1",
            id_token = "id-token-value-456",
            refresh_token = "refresh-token-value-789",
        });
        var response = await Client(TokenAuthMethod.ClientSecretPost).ExchangeCodeAsync("the-code-3", new Uri("http://localhost:8765/callback"), null);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.IsJsonObject, Is.True);
            Assert.That(response.CacheControl, Is.EqualTo("no-store"));
            Assert.That(response.Pragma, Is.EqualTo("no-cache"));
            Assert.That(response.ContentType, Does.StartWith("application/json"));
            Assert.That(response.AccessToken, Is.EqualTo("access-token-value-123"));
            Assert.That(response.TokenType, Is.EqualTo("Bearer"));
            Assert.That(response.ExpiresIn, Is.EqualTo(3600));
            Assert.That(response.FieldKind("expires_in"), Is.EqualTo(JsonValueKind.Number));
            Assert.That(response.Scope, Is.EqualTo("patient/*.read"));
            Assert.That(response.Patient, Is.EqualTo("argonaut-1"));
            Assert.That(response.IdToken, Is.EqualTo("id-token-value-456"));
            Assert.That(response.RefreshToken, Is.EqualTo("refresh-token-value-789"));
            Assert.That(response.Error, Is.Null);
            Assert.That(Secrets.Redact(response.Body), Does.Not.Contain("access-token-value-123").And.Not.Contain("id-token-value-456").And.Not.Contain("refresh-token-value-789"));
            Assert.That(Secrets.Redact("code the-code-3"), Does.Not.Contain("the-code-3"));
        });
    }

    [Test]
    public async Task Expires_in_tells_absent_from_not_a_number()
    {
        _nextStatus = 200;
        _nextBody = """{"access_token":"access-token-value-abc","expires_in":"3600"}""";
        var asString = await Client(TokenAuthMethod.ClientSecretPost).ExchangeCodeAsync("the-code-4", new Uri("http://localhost:8765/callback"), null);
        _nextBody = """{"access_token":"access-token-value-def"}""";
        var absent = await Client(TokenAuthMethod.ClientSecretPost).ExchangeCodeAsync("the-code-5", new Uri("http://localhost:8765/callback"), null);

        Assert.That(asString.ExpiresIn, Is.Null);
        Assert.That(asString.FieldKind("expires_in"), Is.EqualTo(JsonValueKind.String));
        Assert.That(absent.ExpiresIn, Is.Null);
        Assert.That(absent.FieldKind("expires_in"), Is.EqualTo(JsonValueKind.Undefined));
    }

    [Test]
    public async Task A_body_that_is_not_JSON_is_kept_but_has_no_fields()
    {
        _nextStatus = 502;
        _nextBody = "<html>Bad gateway</html>";
        var response = await Client(TokenAuthMethod.ClientSecretPost).ExchangeCodeAsync("the-code-6", new Uri("http://localhost:8765/callback"), null);

        Assert.That(response.IsJsonObject, Is.False);
        Assert.That(response.Body, Is.EqualTo("<html>Bad gateway</html>"));
        Assert.That(response.AccessToken, Is.Null);
        Assert.That(response.FieldKind("access_token"), Is.EqualTo(JsonValueKind.Undefined));
    }
}
