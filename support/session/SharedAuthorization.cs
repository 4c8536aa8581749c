using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Reporting;

namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>What the app holds after a successful launch and token exchange.</summary>
public sealed record AuthorizedSession(string Scope, string State, TokenResponse Token)
{
    public string AccessToken => Token.AccessToken!;
    public string? PatientId => Token.Patient;
}

/// <summary>
/// The run's one authorized session: the browser flow and token exchange run once, in the first scenario that needs a
/// token (its evidence shows them); every later scenario reuses the token. A failure is kept too, so later scenarios
/// report it at once instead of repeating a flow that cannot succeed.
/// </summary>
public sealed class SharedAuthorization
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Task<AuthorizedSession>? _session;

    public async Task<AuthorizedSession> GetAsync(ConformanceScenario scenario)
    {
        await _gate.WaitAsync();
        bool ranHere;
        Exception? awaited = null;
        try
        {
            ranHere = _session is null;
            _session ??= AuthorizeAsync(scenario);
            try { await _session; }
            catch (Exception e) { awaited = e; /* reported below */ }
        }
        finally
        {
            _gate.Release();
        }

        if (_session.IsCompletedSuccessfully)
        {
            var session = _session.Result;
            if (!ranHere)
                scenario.Evidence.AddText("Token response of the run's shared authorized session (redacted)", "application/json", "json", session.Token.Body);
            return session;
        }
        // A cancelled task (e.g. an HTTP timeout's TaskCanceledException) has no Exception: report what the await threw.
        var error = _session.Exception?.GetBaseException() ?? awaited!;
        if (ranHere) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        const string context = "The run's shared authorization failed in an earlier scenario, so this scenario has no token";
        throw error switch
        {
            ConformanceFailure failure => ConformanceFailure.Repeated(failure, context),
            // The policy let the earlier scenario go on past a missing code or token (warn, off): skipped here too.
            NUnit.Framework.IgnoreException => new NUnit.Framework.IgnoreException($"The run's shared authorization could not go on in an earlier scenario, so this scenario has no token: {error.Message}"),
            _ => new SharedAuthorizationFailedException($"{context}: {error.Message}", error),
        };
    }

    private async Task<AuthorizedSession> AuthorizeAsync(ConformanceScenario scenario)
    {
        var redirect = await scenario.Authorization.RunToRedirectAsync();
        var code = new AuthorizationCodeRules(scenario.Check).RequireCodeFor(redirect, "anything that needs the member's access token, as there is no code to exchange for one");
        var token = await scenario.ExchangeCodeAsync(code);
        new TokenExchangeRules(scenario.Check).RequireAccessTokenFor(token, "The token endpoint must answer the code exchange with an access_token.",
            $"HTTP {(int)token.StatusCode}: {token.Body}", "anything that needs the member's access token, as the code exchange granted none");
        var request = scenario.Authorization.Request!;
        return new AuthorizedSession(request.Scope, request.State, token);
    }
}

public sealed class SharedAuthorizationFailedException(string message, Exception inner) : Exception(message, inner);
