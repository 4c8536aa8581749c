using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.Checks;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Timing;

namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>A token request made to probe one rule, and what the token endpoint answered.</summary>
public sealed record TokenProbe(string Rule, string Expectation, TokenResponse Response);

/// <summary>
/// A scenario's own launch (scenario-scoped; Reqnroll injects it) and the token requests it makes with that launch's
/// code: the ordinary exchange, and the ones a token endpoint must refuse (the same code again, a wrong client secret,
/// another redirect_uri, a code past its lifetime). Each request remembers the rule it probes, so the step that judges
/// the answer names that rule.
/// </summary>
public sealed class OwnLaunchExchange(ConformanceScenario scenario)
{
    private AuthorizationRedirect? _redirect;
    private long _redirectedAt;
    private bool _codeOutlived;

    /// <summary>The answer to the ordinary exchange of this launch's code.</summary>
    public TokenResponse? Granted { get; private set; }
    public TokenProbe? LastProbe { get; private set; }

    /// <summary>Runs the member's whole launch; <paramref name="omitScope"/> sends the authorization request without a scope parameter.</summary>
    public async Task AuthorizeAsync(string? scope, bool omitScope = false)
    {
        var launch = scenario.Authorization;
        launch.Prepare(scope, omitScope ? new Dictionary<string, string?> { ["scope"] = null } : null);
        // These scenarios judge the code and the token endpoint, not the enrollment: a member still signed in from an
        // earlier launch of the run only consents (see support/session/README.md).
        await launch.OpenAuthorizationPageAsync(asReturningMember: true);
        // A server may refuse a request without scope at once, before any sign-in page.
        if (omitScope) RequireNotRefusedWithoutScope(launch.CapturedRedirect);
        if (!await launch.ReturnsSignedInAsync())
        {
            await launch.CreateAccountAsync();
            await launch.EnterEmailedVerificationCodeAsync();
        }
        await launch.AllowAsync();
        var redirect = await launch.WaitForRedirectAsync();
        _redirectedAt = Stopwatch.GetTimestamp();
        if (omitScope) RequireNotRefusedWithoutScope(redirect);
        // Without a code the scenario cannot go on, whatever the policy says about the rule.
        if (redirect.Code is null)
            Check.Fail("smart-authorization-code", "The authorization server must redirect to the app with an authorization code.",
                redirect.Error is null ? redirect.RedactedUri : $"error={redirect.Error} {redirect.ErrorDescription}");
        _redirect = redirect;
    }

    /// <summary>
    /// RFC 6749 section 3.3 lets a server either apply its default scope or refuse a request without one (invalid_scope);
    /// the payer documents a default, so a refusal breaks smart-scope-default (not merely "no code").
    /// </summary>
    internal static void RequireNotRefusedWithoutScope(AuthorizationRedirect? redirect)
    {
        if (redirect is not { Code: null, Error: { } error }) return;
        const string rule = "smart-scope-default";
        Check.That(false, rule,
            "An authorization request without scope must be processed with the payer's documented default scope (RFC 6749 section 3.3), not refused.",
            $"the authorization server redirected with error={error}{(redirect.ErrorDescription is { } description ? $" ({description})" : "")}");
        Check.CannotContinue(rule, "the scope granted by default, as the request without scope got no authorization code");
    }

    /// <summary>The ordinary exchange (RFC 6749 section 4.1.3); a granted access token is used for FHIR requests from then on.</summary>
    public async Task<TokenResponse> ExchangeAsync()
    {
        var response = await scenario.ExchangeCodeAsync(Code);
        if (response.AccessToken is { } accessToken) scenario.Fhir.Api.AccessToken = accessToken;
        Granted ??= response;
        LastProbe = new TokenProbe("smart-token-response", "The token endpoint must grant a valid code exchange.", response);
        return response;
    }

    public async Task ExchangeAgainAsync()
    {
        if (Granted is null) throw new InvalidOperationException("The code has not been exchanged yet: a step must exchange it once before exchanging it again.");
        LastProbe = new TokenProbe("smart-code-single-use",
            "An authorization code may be exchanged only once: the second exchange must be denied (RFC 6749 section 4.1.2).",
            await SendAsync(CodeForm(scenario.Authorization.Request!.RedirectUri)));
    }

    public async Task ExchangeWithWrongSecretAsync()
    {
        var wrongSecret = "wrong-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        LastProbe = new TokenProbe("smart-token-client-authentication",
            "A confidential client that presents a wrong client secret must fail client authentication (RFC 6749 sections 3.2.1 and 5.2).",
            await SendAsync(CodeForm(scenario.Authorization.Request!.RedirectUri), wrongSecret));
    }

    public async Task ExchangeWithOtherRedirectUriAsync()
    {
        var other = UnregisteredRedirectUri.For(scenario.Authorization.Request!.RedirectUri);
        LastProbe = new TokenProbe("smart-token-redirect-uri",
            $"The token request's redirect_uri must be identical to the authorization request's (RFC 6749 section 4.1.3); {other} is not.",
            await SendAsync(CodeForm(other)));
    }

    /// <summary>
    /// Lets the code grow older than the target's code lifetime plus a margin, counted from the redirect: the embedded
    /// sandbox's clock is advanced, an external payer is waited out (see <see cref="TargetClock"/>).
    /// </summary>
    public async Task WaitUntilCodeOutlivedAsync()
    {
        RequireCode();
        var settings = scenario.Run.Settings;
        var clock = scenario.Run.Clock;
        var lifetime = CodeExpiry.LifetimeFor(settings);
        var wait = CodeExpiry.WaitAfterRedirect(lifetime);
        var remaining = wait - Stopwatch.GetElapsedTime(_redirectedAt);
        scenario.Evidence.AddText("Waiting for the authorization code to expire", "text/plain", "txt",
            $"Code lifetime {lifetime.TotalSeconds:0.#} s ({CodeExpiry.SourceOf(settings)}) plus a margin of {CodeExpiry.Margin(lifetime).TotalSeconds:0.#} s, " +
            $"counted from the redirect that delivered the code: {Math.Max(0, remaining.TotalSeconds):0.#} s still to " +
            (clock.CanAdvance ? "pass, by advancing the embedded sandbox's clock." : "wait."));
        if (remaining > TimeSpan.Zero)
            await PhaseTimer.MeasureAsync(Phase.CodeExpiryWait, () => clock.LetPassAsync(remaining, "the authorization code to expire", scenario.Authorization.HoldsClock));
        _codeOutlived = true;
    }

    public async Task ExchangeOutlivedCodeAsync()
    {
        if (!_codeOutlived) throw new InvalidOperationException("The code has not outlived its lifetime yet: a step must wait for that first.");
        LastProbe = new TokenProbe("smart-code-expiry",
            "An authorization code must expire shortly after it is issued: exchanging it after its lifetime must be refused (RFC 6749 section 4.1.2).",
            await SendAsync(CodeForm(scenario.Authorization.Request!.RedirectUri)));
    }

    /// <summary>The first exchange of a code must succeed, or a later refusal proves nothing.</summary>
    public void RequireGranted()
    {
        var granted = Granted ?? throw new InvalidOperationException("The code has not been exchanged yet: a step must exchange it first.");
        Check.That(granted.StatusCode == HttpStatusCode.OK && granted.AccessToken is not null, "smart-token-response",
            "The token endpoint must grant the first exchange of a fresh authorization code.", TokenRefusal.Describe(granted));
    }

    /// <summary>The last probe was refused as RFC 6749 section 5.2 describes, with <paramref name="expectedError"/>.</summary>
    public void RequireRefused(string expectedError)
    {
        var probe = LastProbe ?? throw new InvalidOperationException("No token request was made in this scenario: a When step must make one first.");
        var verdict = TokenRefusal.Judge(probe.Response, expectedError, scenario.Tokens.AuthMethod);
        Check.That(verdict.Conforms, probe.Rule, $"{probe.Expectation} Expected {verdict.Expected}.", verdict.Observed);
    }

    /// <summary>Every scope granted is covered by the scopes the app asked for (SMART: the token response's scope).</summary>
    public void RequireScopeNotWiderThanRequested()
    {
        const string rule = "smart-scope-not-wider";
        var granted = RequireGrantedToken();
        var requested = ScopeGrant.Parse(scenario.Authorization.Request!.Scope);
        if (granted.Scope is null)
        {
            // RFC 6749 section 5.1: scope may be left out when it is identical to the one requested.
            scenario.Evidence.AddWarning("The token response has no scope; RFC 6749 reads that as \"identical to the requested scope\", which SMART App Launch nevertheless requires to be stated.");
            return;
        }
        var beyond = ScopeGrant.Beyond(ScopeGrant.Parse(granted.Scope), requested);
        Check.That(beyond.Count == 0, rule,
            $"The authorization server must not grant scopes beyond those the app asked for and the member consented to (asked: \"{string.Join(" ", requested)}\").",
            $"granted \"{granted.Scope}\", beyond the request: {string.Join(", ", beyond)}");
    }

    /// <summary>With no scope in the authorization request, the grant is the documented default: all of it, nothing beyond it.</summary>
    public void RequireDefaultScope(string defaultScope)
    {
        const string rule = "smart-scope-default";
        var granted = RequireGrantedToken();
        Check.That(granted.Scope is not null, rule,
            $"An authorization request without scope must be processed with the default scope \"{defaultScope}\", and the token response must state the scope granted.",
            "the token response has no scope");
        if (granted.Scope is null) return;
        var grantedScopes = ScopeGrant.Parse(granted.Scope);
        var defaults = ScopeGrant.Parse(defaultScope);
        var missing = ScopeGrant.Missing(defaults, grantedScopes);
        var beyond = ScopeGrant.Beyond(grantedScopes, defaults);
        Check.That(missing.Count == 0 && beyond.Count == 0, rule,
            $"An authorization request without scope must be granted the default scope \"{defaultScope}\": all of it and nothing beyond it (RFC 6749 section 3.3).",
            $"granted \"{granted.Scope}\"" + (missing.Count > 0 ? $"; default not granted: {string.Join(", ", missing)}" : "")
            + (beyond.Count > 0 ? $"; beyond the default: {string.Join(", ", beyond)}" : ""));
    }

    /// <summary>Checks about the granted token cannot go on without one, whatever the policy says about the rule.</summary>
    private TokenResponse RequireGrantedToken()
    {
        var granted = Granted ?? throw new InvalidOperationException("The code has not been exchanged yet: a step must exchange it first.");
        if (granted.StatusCode != HttpStatusCode.OK || granted.AccessToken is null)
            Check.Fail("smart-token-response", "The token endpoint must grant the exchange of a fresh authorization code.", TokenRefusal.Describe(granted));
        return granted;
    }

    private string Code => RequireCode();

    private string RequireCode() =>
        _redirect?.Code ?? throw new InvalidOperationException("No authorization code in this scenario: a Given step must run the member's launch first.");

    private List<KeyValuePair<string, string>> CodeForm(Uri redirectUri)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"),
            new("code", Code),
            new("redirect_uri", redirectUri.OriginalString),
        };
        if (scenario.Authorization.Pkce?.Verifier is { } verifier) form.Add(new("code_verifier", verifier));
        return form;
    }

    private Task<TokenResponse> SendAsync(List<KeyValuePair<string, string>> form, string? overrideSecret = null) =>
        scenario.Tokens.SendTokenRequestAsync(form, scenario.Tokens.AuthMethod, overrideSecret);
}
