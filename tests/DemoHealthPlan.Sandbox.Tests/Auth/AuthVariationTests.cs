using System.Net;
using System.Text.Json.Nodes;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>
/// The conformant variations of the authorization side (SandboxVariations.Known): each test switches one on and asserts
/// the difference it makes, and that what the specifications still require holds. Each test names its variation in the
/// <see cref="Infrastructure.VariationTestAttribute"/>, as fault tests name their fault.
/// </summary>
[TestFixture]
public class AuthVariationTests
{
    /// <summary>The NUnit property naming the sandbox variation a test asserts.</summary>

    private readonly HttpClient _http = new();

    [OneTimeTearDown]
    public void Dispose() => _http.Dispose();

    private static Task<TestSandbox> StartAsync(string variation) =>
        TestSandbox.StartAsync(settings: new Dictionary<string, string?> { ["Sandbox:Variations"] = variation });

    private async Task<JsonNode> GetJsonAsync(TestSandbox sandbox, string path) =>
        JsonNode.Parse(await _http.GetStringAsync(new Uri(sandbox.Endpoints.BaseUrl, path)))!;

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    [Test, VariationTest("no-openid")]
    [Description("no-openid: no sso-openid-connect, no issuer, no identity scopes advertised; openid fhirUser is granted without them and no id_token is issued")]
    public async Task NoOpenId_AdvertisesNoOpenIdAndIssuesNoIdToken()
    {
        await using var sandbox = await StartAsync("no-openid");
        var smart = await GetJsonAsync(sandbox, ".well-known/smart-configuration");
        var token = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, "openid fhirUser patient/*.read");

        Assert.Multiple(() =>
        {
            Assert.That(Strings(smart["capabilities"]), Does.Not.Contain("sso-openid-connect").And.Contain("launch-standalone"));
            Assert.That(smart["issuer"], Is.Null, "SMART: issuer is omitted without sso-openid-connect");
            Assert.That(Strings(smart["scopes_supported"]), Does.Not.Contain("openid").And.Not.Contain("fhirUser").And.Contain("patient/*.read"));
            Assert.That(token.AccessToken, Is.Not.Null, token.ToString());
            Assert.That(token.IdToken, Is.Null, "no id_token without OpenID Connect");
            Assert.That(token.Scope?.Split(' '), Is.EquivalentTo(new[] { "patient/*.read" }), "identity scopes are not granted");
            Assert.That(token.Patient, Is.Not.Null, "the patient in context is still named");
        });
    }

    [Test, VariationTest("capability-without-oauth-uris")]
    [Description("capability-without-oauth-uris: the CapabilityStatement names SMART-on-FHIR security without the oauth-uris extension")]
    public async Task CapabilityWithoutOAuthUris_LeavesOutTheExtensionOnly()
    {
        await using var sandbox = await StartAsync("capability-without-oauth-uris");
        var capability = await GetJsonAsync(sandbox, "r4/metadata");
        var security = capability["rest"]![0]!["security"]!;

        Assert.Multiple(() =>
        {
            Assert.That(security["service"]![0]!["coding"]![0]!["code"]!.GetValue<string>(), Is.EqualTo("SMART-on-FHIR"));
            Assert.That(security["extension"], Is.Null, "no oauth-uris extension");
        });
    }

    [Test, VariationTest("code-lifetime-10-minutes")]
    [Description("code-lifetime-10-minutes: a code is accepted at 9 min 50 s and refused with invalid_grant after 10 minutes; the start API reports 600 s")]
    public async Task CodeLifetime10Minutes_CodesLiveTenMinutes()
    {
        await using var sandbox = await StartAsync("code-lifetime-10-minutes");
        using var flow = sandbox.NewFlow();
        var early = await flow.AuthorizeNewMemberAsync(TestMembers.JasonArgonaut);
        var late = await flow.AuthorizeAgainAsync();

        sandbox.Clock.Advance(TimeSpan.FromSeconds(590));
        var withinLifetime = await flow.ExchangeCodeAsync(early.Code!);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(20));
        var afterLifetime = await flow.ExchangeCodeAsync(late.Code!);

        Assert.Multiple(() =>
        {
            Assert.That(sandbox.Server.CodeLifetime, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(withinLifetime.Status, Is.EqualTo(HttpStatusCode.OK), withinLifetime.ToString());
            Assert.That((afterLifetime.Status, afterLifetime.Error), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_grant")));
        });
    }

    [Test, VariationTest("scope-required")]
    [Description("scope-required: a request without scope is redirected at once with invalid_scope and the state; one with scope still gets a code")]
    public async Task ScopeRequired_RefusesARequestWithoutScopeWithInvalidScope()
    {
        await using var sandbox = await StartAsync("scope-required");
        using var flow = sandbox.NewFlow();
        var request = new AuthorizeRequest { Scope = null };
        await flow.OpenAuthorizationAsync(request);
        var refused = flow.Redirect;
        var granted = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, "patient/*.read");

        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.Not.Null, "a redirect before any sign-in page");
            Assert.That((refused!.Error, refused.State, refused.Code), Is.EqualTo(("invalid_scope", request.State, (string?)null)));
            Assert.That(refused.Target, Is.EqualTo(sandbox.Endpoints.TestClient.RedirectUris[0].AbsoluteUri));
            Assert.That(granted.AccessToken, Is.Not.Null, granted.ToString());
        });
    }

    [Test, VariationTest("redirect-uri-refused-elsewhere")]
    [Description("redirect-uri-refused-elsewhere: an unregistered redirect_uri gets a redirect to the error page on another host (localhost), which names the error; never the redirect_uri")]
    public async Task RedirectUriRefusedElsewhere_ShowsTheErrorOnAnotherHost()
    {
        await using var sandbox = await StartAsync("redirect-uri-refused-elsewhere");
        using var flow = sandbox.NewFlow();
        var unregistered = sandbox.Endpoints.TestClient.RedirectUris[0].AbsoluteUri + "/unregistered";
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var refusal = await noRedirects.GetAsync(flow.AuthorizeUrl(new AuthorizeRequest { RedirectUri = unregistered }));
        var location = refusal.Headers.Location!;
        using var errorPage = await noRedirects.GetAsync(location);
        var text = await errorPage.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(refusal.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(location.Host, Is.EqualTo("localhost"), "another host than the authorization endpoint's");
            Assert.That(location.Host, Is.Not.EqualTo(sandbox.Endpoints.AuthorizeEndpoint.Host));
            Assert.That(location.AbsoluteUri, Does.Not.StartWith(sandbox.Endpoints.TestClient.RedirectUris[0].GetLeftPart(UriPartial.Authority)));
            Assert.That(errorPage.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(text, Does.Contain("We can&#39;t continue with this sign-in request").Or.Contain("We can't continue with this sign-in request"));
            Assert.That(text, Does.Contain("invalid_request"));
        });
    }

    [Test, VariationTest("writes-refused-by-gateway")]
    [Description("writes-refused-by-gateway: POST 404, PUT 405, DELETE 501, PATCH 400 as a gateway answers, with a token; nothing changes; reads and POST _search still work")]
    public async Task WritesRefusedByGateway_RefusesEveryWriteAndChangesNothing()
    {
        await using var sandbox = await StartAsync("writes-refused-by-gateway");
        var token = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut);
        using var jason = new DemoHealthPlan.Sandbox.Tests.Fhir.FhirHttp(sandbox.Endpoints.FhirBaseUrl, token.AccessToken);
        var before = (await jason.GetAsync("Patient/jason-argonaut")).Body;

        var created = await jason.SendJsonAsync(HttpMethod.Post, "Coverage", "{\"resourceType\":\"Coverage\"}");
        var updated = await jason.SendJsonAsync(HttpMethod.Put, "Patient/jason-argonaut", before);
        var deleted = await jason.SendJsonAsync(HttpMethod.Delete, "Coverage/coverage-jason-dental", null);
        var patched = await jason.SendJsonAsync(HttpMethod.Patch, "Patient/jason-argonaut", "[]");
        var searched = await jason.PostSearchAsync("Coverage", [new("patient", "jason-argonaut")]);
        var after = (await jason.GetAsync("Patient/jason-argonaut")).Body;
        var coverage = await jason.GetAsync("Coverage/coverage-jason-dental");

        Assert.Multiple(() =>
        {
            Assert.That(created.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(updated.Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(deleted.Status, Is.EqualTo(HttpStatusCode.NotImplemented));
            Assert.That(patched.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(searched.Status, Is.EqualTo(HttpStatusCode.OK), "a search by POST is a read, not a write");
            Assert.That(after, Is.EqualTo(before), "the Patient is unchanged");
            Assert.That(coverage.Status, Is.EqualTo(HttpStatusCode.OK), "the Coverage is still there");
        });
    }
}
