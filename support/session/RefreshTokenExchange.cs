using System.Security.Cryptography;
using DigitalInsurance.Conformance.Support.OAuth;

namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>
/// A scenario's refresh request (RFC 6749 section 6), made with the refresh token its own launch's code exchange was
/// granted (scenario-scoped; Reqnroll injects it): the scope it asked for and what the token endpoint answered. A granted
/// access token is used for FHIR requests from then on. Each scenario refreshes its own launch's grant once, so a
/// payer's rolling refresh tokens and replay detection never touch another scenario's tokens.
/// </summary>
public sealed class RefreshTokenExchange(ConformanceScenario scenario, OwnLaunchExchange launch)
{
    /// <summary>The refresh token of the launch's code exchange, once a rule has found one there.</summary>
    public string? RefreshToken { get; set; }

    /// <summary>The scope the refresh request asked for; null: none (the scope originally granted).</summary>
    public string? RequestedScope { get; private set; }

    public TokenResponse? Refreshed { get; private set; }

    /// <summary>The scope the launch's code exchange granted: its stated scope, or (RFC 6749 5.1) the scope requested.</summary>
    public string OriginalScope =>
        (launch.Granted ?? throw new InvalidOperationException("The code has not been exchanged yet: a step must exchange it first.")).Scope
        ?? scenario.Authorization.Request!.Scope;

    public Task RefreshAsync(string? scope) =>
        SendAsync(RefreshToken ?? throw new InvalidOperationException("No refresh token in this scenario: a step must find one in the code exchange first."), scope);

    /// <summary>A refresh request with a refresh token the payer never issued (random, shaped like none in particular).</summary>
    public Task RefreshWithUnissuedTokenAsync() =>
        SendAsync("not-issued-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant(), scope: null);

    public TokenResponse RequireRefreshed() =>
        Refreshed ?? throw new InvalidOperationException("No refresh request was made in this scenario: a When step must make one first.");

    private async Task SendAsync(string refreshToken, string? scope)
    {
        RequestedScope = scope;
        Refreshed = await scenario.Tokens.RefreshAsync(refreshToken, scope);
        if (Refreshed.AccessToken is { } accessToken) scenario.Fhir.Api.AccessToken = accessToken;
    }
}
