using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Reporting;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>The scope granted (RFC 6749 section 3.3): never wider than asked, and the documented default when none is asked.</summary>
public sealed class ScopeRules(Check check)
{
    /// <summary>
    /// RFC 6749 section 3.3 lets a server either apply its default scope or refuse a request without one (invalid_scope);
    /// the payer documents a default, so a refusal breaks smart-scope-default (not merely "no code").
    /// </summary>
    public void RequireNotRefusedWithoutScope(AuthorizationRedirect? redirect)
    {
        if (redirect is not { Code: null, Error: { } error }) return;
        var rule = Requirements.SmartScopeDefault;
        check.That(false, rule,
            "An authorization request without scope must be processed with the payer's documented default scope (RFC 6749 section 3.3), not refused.",
            $"the authorization server redirected with error={error}{(redirect.ErrorDescription is { } description ? $" ({description})" : "")}");
        check.CannotContinue(rule, "the scope granted by default, as the request without scope got no authorization code");
    }

    /// <summary>Every scope granted is covered by the scopes the app asked for (SMART: the token response's scope).</summary>
    public void RequireNotWiderThanRequested(TokenResponse? granted, string? requestedScope, ScenarioEvidence evidence)
    {
        var token = new TokenExchangeRules(check).RequireGrantedToken(granted);
        var requested = ScopeGrant.Parse(requestedScope);
        if (token.Scope is null)
        {
            // RFC 6749 section 5.1: scope may be left out when it is identical to the one requested.
            evidence.AddWarning("The token response has no scope; RFC 6749 reads that as \"identical to the requested scope\", which SMART App Launch nevertheless requires to be stated.");
            return;
        }
        var beyond = ScopeGrant.Beyond(ScopeGrant.Parse(token.Scope), requested);
        check.That(beyond.Count == 0, Requirements.SmartScopeNotWider,
            $"The authorization server must not grant scopes beyond those the app asked for and the member consented to (asked: \"{string.Join(" ", requested)}\").",
            $"granted \"{token.Scope}\", beyond the request: {string.Join(", ", beyond)}");
    }

    /// <summary>With no scope in the authorization request, the grant is the documented default: all of it, nothing beyond it.</summary>
    public void RequireDefaultScope(TokenResponse? granted, string defaultScope)
    {
        var rule = Requirements.SmartScopeDefault;
        var token = new TokenExchangeRules(check).RequireGrantedToken(granted);
        check.That(token.Scope is not null, rule,
            $"An authorization request without scope must be processed with the default scope \"{defaultScope}\", and the token response must state the scope granted.",
            "the token response has no scope");
        if (token.Scope is null) return;
        var grantedScopes = ScopeGrant.Parse(token.Scope);
        var defaults = ScopeGrant.Parse(defaultScope);
        var missing = ScopeGrant.Missing(defaults, grantedScopes);
        var beyond = ScopeGrant.Beyond(grantedScopes, defaults);
        check.That(missing.Count == 0 && beyond.Count == 0, rule,
            $"An authorization request without scope must be granted the default scope \"{defaultScope}\": all of it and nothing beyond it (RFC 6749 section 3.3).",
            $"granted \"{token.Scope}\"" + (missing.Count > 0 ? $"; default not granted: {string.Join(", ", missing)}" : "")
            + (beyond.Count > 0 ? $"; beyond the default: {string.Join(", ", beyond)}" : ""));
    }
}
