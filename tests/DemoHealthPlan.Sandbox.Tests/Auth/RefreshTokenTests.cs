using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>What the refresh probes observe: one flag per rule of RFC 6749 section 6 the harness checks.</summary>
public sealed record RefreshRules(
    bool RefreshTokenIssued,
    bool GrantedWithoutScope,
    bool RefreshNotCached,
    bool NarrowerScopeHonoured,
    bool NeverWiderThanOriginal,
    bool BadTokenInvalidGrant)
{
    public static readonly RefreshRules AllKept = new(true, true, true, true, true, true);
}

/// <summary>
/// Refresh tokens (SMART permission-offline, scope offline_access): a clean sandbox issues one and honours RFC 6749
/// section 6; each refresh fault breaks exactly its rule; the no-refresh-tokens variation issues none and says so.
/// </summary>
[TestFixture]
public class RefreshTokenTests
{
    private const string FullScope = "launch/patient patient/*.read offline_access";
    private const string TwoTypesScope = "launch/patient patient/Patient.read patient/Coverage.read offline_access";
    private const string NarrowerScope = "patient/Patient.read";
    private const string NarrowOriginalScope = "launch/patient patient/Patient.read offline_access";
    private const string WiderThanNarrowOriginal = "launch/patient patient/Patient.read patient/Coverage.read offline_access";

    internal static readonly Dictionary<string, Func<RefreshRules, RefreshRules>> Faults = new()
    {
        ["refresh-without-scope-refused"] = r => r with { GrantedWithoutScope = false },
        ["refresh-response-cacheable"] = r => r with { RefreshNotCached = false },
        ["refresh-narrower-scope-ignored"] = r => r with { NarrowerScopeHonoured = false },
        ["refresh-scope-wider"] = r => r with { NeverWiderThanOriginal = false },
        ["refresh-bad-token-wrong-error"] = r => r with { BadTokenInvalidGrant = false },
    };

    private static IEnumerable<TestCaseData> FaultNames => Faults.Keys.Select(FaultTests.Case);

    [Test, Description("A clean sandbox issues a refresh token for offline_access and keeps every refresh rule")]
    public async Task CleanSandbox_KeepsEveryRefreshRule()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.That(await ObserveAsync(sandbox), Is.EqualTo(RefreshRules.AllKept));
    }

    [TestCaseSource(nameof(FaultNames))]
    [Description("The fault breaks its refresh rule and no other")]
    public async Task Fault_BreaksOnlyItsRefreshRule(string fault)
    {
        Assert.That(SandboxFaults.Known, Does.ContainKey(fault));
        await using var sandbox = await TestSandbox.StartAsync(faults: [fault]);
        Assert.That(await ObserveAsync(sandbox), Is.EqualTo(Faults[fault](RefreshRules.AllKept)));
    }

    [Test, VariationTest("no-refresh-tokens")]
    [Description("no-refresh-tokens: no permission-offline, offline_access or refresh_token grant advertised; offline_access is granted without it and no refresh token is issued")]
    public async Task NoRefreshTokens_AdvertisesNoneAndIssuesNone()
    {
        await using var sandbox = await TestSandbox.StartAsync(settings: new Dictionary<string, string?> { ["Sandbox:Variations"] = "no-refresh-tokens" });
        using var http = new HttpClient();
        var smart = JsonNode.Parse(await http.GetStringAsync(new Uri(sandbox.Endpoints.BaseUrl, ".well-known/smart-configuration")))!;
        var token = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, FullScope);

        Assert.Multiple(() =>
        {
            Assert.That(Strings(smart["capabilities"]), Does.Not.Contain("permission-offline").And.Contain("permission-patient"));
            Assert.That(Strings(smart["scopes_supported"]), Does.Not.Contain("offline_access").And.Contain("patient/*.read"));
            Assert.That(Strings(smart["grant_types_supported"]), Is.EqualTo(new[] { "authorization_code" }));
            Assert.That(token.AccessToken, Is.Not.Null, token.ToString());
            Assert.That(token.Scope?.Split(' '), Does.Not.Contain("offline_access"), "offline_access is not granted");
            Assert.That(token.Body["refresh_token"], Is.Null, "no refresh token is issued");
        });
    }

    [Test, Description("A clean sandbox advertises permission-offline, offline_access and the refresh_token grant")]
    public async Task CleanSandbox_AdvertisesRefreshTokens()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var http = new HttpClient();
        var smart = JsonNode.Parse(await http.GetStringAsync(new Uri(sandbox.Endpoints.BaseUrl, ".well-known/smart-configuration")))!;
        Assert.Multiple(() =>
        {
            Assert.That(Strings(smart["capabilities"]), Does.Contain("permission-offline"));
            Assert.That(Strings(smart["scopes_supported"]), Does.Contain("offline_access"));
            Assert.That(Strings(smart["grant_types_supported"]), Is.EqualTo(new[] { "authorization_code", "refresh_token" }));
        });
    }

    /// <summary>
    /// Three grants of one member: the full one is refreshed without scope; one for Patient and Coverage is refreshed
    /// asking for Patient only; one for Patient only is refreshed asking for Coverage too; a made-up refresh token is sent last.
    /// </summary>
    private static async Task<RefreshRules> ObserveAsync(TestSandbox sandbox)
    {
        using var flow = sandbox.NewFlow();
        var full = await ExchangeAsync(flow, await flow.AuthorizeNewMemberAsync(TestMembers.JasonArgonaut, new AuthorizeRequest { Scope = FullScope }));
        var twoTypes = await ExchangeAsync(flow, await flow.AuthorizeAgainAsync(new AuthorizeRequest { Scope = TwoTypesScope }));
        var narrow = await ExchangeAsync(flow, await flow.AuthorizeAgainAsync(new AuthorizeRequest { Scope = NarrowOriginalScope }));
        if (RefreshToken(full) is not { } fullRefreshToken || RefreshToken(twoTypes) is not { } twoTypesRefreshToken
            || RefreshToken(narrow) is not { } narrowRefreshToken)
            return RefreshRules.AllKept with { RefreshTokenIssued = false };

        var patient = full.Patient ?? throw new InvalidOperationException("The token response names no patient.");
        var withoutScope = await RefreshAsync(sandbox, flow, patient, fullRefreshToken, scope: null);
        var narrower = await RefreshAsync(sandbox, flow, patient, twoTypesRefreshToken, NarrowerScope);
        var wider = await RefreshAsync(sandbox, flow, patient, narrowRefreshToken, WiderThanNarrowOriginal);
        var madeUp = await RefreshAsync(sandbox, flow, patient, "never-issued-" + Guid.NewGuid().ToString("N"), scope: null);

        return new RefreshRules(
            RefreshTokenIssued: true,
            GrantedWithoutScope: withoutScope.Token.Status == HttpStatusCode.OK && withoutScope.Token.AccessToken is not null,
            RefreshNotCached: withoutScope.Token.Headers.CacheControl?.NoStore == true,
            NarrowerScopeHonoured: narrower.Token.AccessToken is not null && StatedWithin(narrower.Token, NarrowerScope) && narrower.Coverage == HttpStatusCode.Forbidden,
            // RFC 6749 section 6: a scope not originally granted is refused; OpenIddict says invalid_grant.
            NeverWiderThanOriginal: wider.Token.Status == HttpStatusCode.BadRequest && wider.Token.AccessToken is null
                                    && wider.Token.Error is "invalid_grant" or "invalid_scope",
            BadTokenInvalidGrant: madeUp.Token.Status == HttpStatusCode.BadRequest && madeUp.Token.Error == "invalid_grant");
    }

    private static async Task<TokenResponse> ExchangeAsync(SandboxFlow flow, AuthorizationRedirect redirect) =>
        await flow.ExchangeCodeAsync(redirect.Code ?? throw new InvalidOperationException($"No code: {redirect}"));

    private static string? RefreshToken(TokenResponse token) => token.Body["refresh_token"]?.GetValue<string>();

    /// <summary>RFC 6749 5.1: no scope in the response means the scope requested.</summary>
    private static bool StatedWithin(TokenResponse token, string requested) =>
        token.Scope is null || token.Scope.Split(' ').All(requested.Split(' ').Contains);

    /// <summary>A refresh request, and what the new access token (if any) answers for the member's Coverage.</summary>
    private static async Task<(TokenResponse Token, HttpStatusCode? Coverage)> RefreshAsync(TestSandbox sandbox, SandboxFlow flow, string patient, string refreshToken, string? scope)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken };
        if (scope is not null) form["scope"] = scope;
        var token = await flow.PostTokenAsync(form, sandbox.Client.ClientId, sandbox.Client.ClientSecret);
        if (token.AccessToken is null) return (token, null);
        using var http = new HttpClient { BaseAddress = sandbox.Endpoints.FhirBaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        using var coverage = await http.GetAsync($"Coverage?patient={Uri.EscapeDataString(patient)}");
        return (token, coverage.StatusCode);
    }

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
}
