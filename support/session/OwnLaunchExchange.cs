using System.Diagnostics;
using System.Security.Cryptography;
using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Timing;

namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>A token request made to probe one rule, and what the token endpoint answered.</summary>
public sealed record TokenProbe(Requirement Rule, string Expectation, TokenResponse Response);

/// <summary>
/// A scenario's own launch (scenario-scoped; Reqnroll injects it) and the token requests it makes with that launch's
/// code: the ordinary exchange, and the ones a token endpoint must refuse (the same code again, a wrong client secret,
/// another redirect_uri, a code past its lifetime). Each request remembers the rule it probes, so the step that judges
/// the answer names that rule.
/// </summary>
public sealed class OwnLaunchExchange(ConformanceScenario scenario, ScopeRules scopeRules, AuthorizationCodeRules authorizationCodeRules)
{
    private AuthorizationRedirect? _redirect;
    private long _redirectedAt;
    private bool _codeOutlived;
    private long _grantedAt;

    /// <summary>The answer to the ordinary exchange of this launch's code.</summary>
    public TokenResponse? Granted { get; private set; }
    public TokenProbe? LastProbe { get; private set; }

    /// <summary>Runs the member's whole launch; <paramref name="omitScope"/> sends the authorization request without a scope parameter.</summary>
    public async Task AuthorizeAsync(string? scope, bool omitScope = false)
    {
        var launch = scenario.Authorization;
        launch.Prepare(scope, omitScope ? new Dictionary<string, string?> { ["scope"] = null } : null);
        // Only the SMART v2 scenario names v2 scopes, after reading that the payer advertises permission-v2.
        var asksV2 = scope is not null && ScopeGrant.Parse(scope).Any(ScopeGrant.IsV2);
        // These scenarios judge the code and the token endpoint, not the enrollment: a member still signed in from an
        // earlier launch of the run only consents (see support/session/README.md).
        await launch.OpenAuthorizationPageAsync(asReturningMember: true);
        // A server may refuse a request without scope at once, before any sign-in page.
        if (omitScope) scopeRules.RequireNotRefusedWithoutScope(launch.CapturedRedirect);
        if (asksV2) scopeRules.RequireV2RequestNotRefused(launch.CapturedRedirect, scope!);
        if (!await launch.ReturnsSignedInAsync())
        {
            await launch.CreateAccountAsync();
            await launch.EnterEmailedVerificationCodeAsync();
        }
        await launch.AllowAsync();
        var redirect = await launch.WaitForRedirectAsync();
        _redirectedAt = Stopwatch.GetTimestamp();
        if (omitScope) scopeRules.RequireNotRefusedWithoutScope(redirect);
        if (asksV2) scopeRules.RequireV2RequestNotRefused(redirect, scope!);
        authorizationCodeRules.RequireCode(redirect);
        _redirect = redirect;
    }

    /// <summary>The ordinary exchange (RFC 6749 section 4.1.3); a granted access token is used for FHIR requests from then on.</summary>
    public async Task<TokenResponse> ExchangeAsync()
    {
        var response = await scenario.ExchangeCodeAsync(Code);
        if (response.AccessToken is { } accessToken) scenario.Fhir.Api.AccessToken = accessToken;
        if (Granted is null) _grantedAt = Stopwatch.GetTimestamp();
        Granted ??= response;
        LastProbe = new TokenProbe(Requirements.SmartTokenResponse, "The token endpoint must grant a valid code exchange.", response);
        return response;
    }

    public async Task ExchangeAgainAsync()
    {
        if (Granted is null) throw new InvalidOperationException("The code has not been exchanged yet: a step must exchange it once before exchanging it again.");
        LastProbe = new TokenProbe(Requirements.SmartCodeSingleUse,
            "An authorization code may be exchanged only once: the second exchange must be denied (RFC 6749 section 4.1.2).",
            await SendAsync(CodeForm(scenario.Authorization.Request!.RedirectUri)));
    }

    public async Task ExchangeWithWrongSecretAsync()
    {
        var wrongSecret = "wrong-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        LastProbe = new TokenProbe(Requirements.SmartTokenClientAuthentication,
            "A confidential client that presents a wrong client secret must fail client authentication (RFC 6749 sections 3.2.1 and 5.2).",
            await SendAsync(CodeForm(scenario.Authorization.Request!.RedirectUri), wrongSecret));
    }

    public async Task ExchangeWithOtherRedirectUriAsync()
    {
        var other = UnregisteredRedirectUri.For(scenario.Authorization.Request!.RedirectUri);
        LastProbe = new TokenProbe(Requirements.SmartTokenRedirectUri,
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
        var lifetime = CodeExpiry.LifetimeFor(settings, scenario.Run.SandboxCodeLifetime);
        var wait = CodeExpiry.WaitAfterRedirect(lifetime);
        var remaining = wait - Stopwatch.GetElapsedTime(_redirectedAt);
        scenario.Evidence.AddText("Waiting for the authorization code to expire", "text/plain", "txt",
            $"Code lifetime {lifetime.TotalSeconds:0.#} s ({CodeExpiry.SourceOf(settings, scenario.Run.SandboxCodeLifetime)}) plus a margin of {CodeExpiry.Margin(lifetime).TotalSeconds:0.#} s, " +
            $"counted from the redirect that delivered the code: {Math.Max(0, remaining.TotalSeconds):0.#} s still to " +
            (clock.CanAdvance ? "pass, by advancing the embedded sandbox's clock." : "wait."));
        if (remaining > TimeSpan.Zero)
            await PhaseTimer.MeasureAsync(Phase.CodeExpiryWait, () => clock.LetPassAsync(remaining, "the authorization code to expire", scenario.Authorization.HoldsClock));
        _codeOutlived = true;
    }

    /// <summary>
    /// Lets the granted access token grow older than the lifetime its token response stated (expires_in) plus
    /// <see cref="AccessTokenExpiry.Margin"/>, counted from that response: the embedded sandbox's clock is advanced, an
    /// external payer is waited out (see <see cref="TargetClock"/>). Skipped, with the reason, when no lifetime is stated.
    /// </summary>
    public async Task WaitUntilAccessTokenOutlivedAsync()
    {
        if (Granted?.AccessToken is null) throw new InvalidOperationException("No access token was granted in this scenario: a step must exchange the code first.");
        if (Granted.ExpiresIn is not { } expiresIn)
            throw new NUnit.Framework.IgnoreException(
                $"Not run: the token response states no expires_in, so when the access token expires is not known ([{Requirements.SmartTokenExpiresIn.Id}] reports that).");
        var clock = scenario.Run.Clock;
        var remaining = AccessTokenExpiry.WaitAfterResponse(expiresIn) - Stopwatch.GetElapsedTime(_grantedAt);
        scenario.Evidence.AddText("Waiting for the access token to expire", "text/plain", "txt",
            $"expires_in {expiresIn} s plus a margin of {AccessTokenExpiry.Margin.TotalSeconds:0} s, counted from the token response: " +
            $"{Math.Max(0, remaining.TotalSeconds):0.#} s still to " + (clock.CanAdvance ? "pass, by advancing the embedded sandbox's clock." : "wait."));
        if (remaining > TimeSpan.Zero)
            await PhaseTimer.MeasureAsync(Phase.AccessTokenExpiryWait,
                () => clock.LetPassAsync(remaining, "the access token to expire", scenario.Authorization.HoldsClock));
    }

    public async Task ExchangeOutlivedCodeAsync()
    {
        if (!_codeOutlived) throw new InvalidOperationException("The code has not outlived its lifetime yet: a step must wait for that first.");
        LastProbe = new TokenProbe(Requirements.SmartCodeExpiry,
            "An authorization code must expire shortly after it is issued: exchanging it after its lifetime must be refused (RFC 6749 section 4.1.2).",
            await SendAsync(CodeForm(scenario.Authorization.Request!.RedirectUri)));
    }

    /// <summary>The member's launch with the run's S256 challenge; skipped, with the reason, when the run sends no PKCE.</summary>
    public Task AuthorizeWithPkceAsync()
    {
        RefusedAuthorization.RequirePkceInUse(scenario);
        return AuthorizeAsync(scope: null);
    }

    /// <summary>The code of a launch whose request carried an S256 challenge, exchanged with the verifier of another pair.</summary>
    public async Task ExchangeWithWrongVerifierAsync()
    {
        var form = CodeForm(scenario.Authorization.Request!.RedirectUri).Where(f => f.Key != "code_verifier").ToList();
        form.Add(new("code_verifier", Pkce.Create().Verifier));
        LastProbe = new TokenProbe(Requirements.SmartPkceVerifier,
            "A code issued for a PKCE challenge must be refused with a code_verifier that does not match the challenge (RFC 7636 section 4.6).",
            await SendAsync(form));
    }

    /// <summary>The code of a launch whose request carried an S256 challenge, exchanged without any code_verifier.</summary>
    public async Task ExchangeWithoutVerifierAsync()
    {
        var form = CodeForm(scenario.Authorization.Request!.RedirectUri).Where(f => f.Key != "code_verifier").ToList();
        LastProbe = new TokenProbe(Requirements.SmartPkceVerifier,
            "A code issued for a PKCE challenge must be refused without the code_verifier (RFC 7636 section 4.5: the client sends it; SMART: servers SHALL support S256).",
            await SendAsync(form));
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
