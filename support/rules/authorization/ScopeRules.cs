using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Reporting;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>The scope granted (RFC 6749 section 3.3): never wider than asked, and the documented default when none is asked.</summary>
public sealed class ScopeRules(Check check)
{
    /// <summary>
    /// RFC 6749 section 3.3 lets a server either apply its default scope or refuse a request without one, indicating an
    /// invalid scope: a refusal with invalid_scope conforms (the scenario ends skipped, as there is no default grant to
    /// check); any other refusal breaks smart-scope-default.
    /// </summary>
    public void RequireNotRefusedWithoutScope(AuthorizationRedirect? redirect)
    {
        if (redirect is not { Code: null, Error: { } error }) return;
        var rule = Requirements.SmartScopeDefault;
        var observed = $"the authorization server redirected with error={error}{(redirect.ErrorDescription is { } description ? $" ({description})" : "")}";
        check.That(error == "invalid_scope", rule,
            "An authorization request without scope must be processed with the payer's default scope or refused indicating an invalid scope (error=invalid_scope, RFC 6749 section 3.3).",
            observed);
        if (error == "invalid_scope")
            NotApplicable.Skip(rule,
                "the payer refuses an authorization request without scope with error=invalid_scope, which RFC 6749 section 3.3 allows " +
                "(\"MUST either process the request using a pre-defined default value or fail the request indicating an invalid scope\"); " +
                "there is no default grant to check.");
        check.CannotContinue(rule, "the scope granted by default, as the request without scope got no authorization code");
    }

    /// <summary>
    /// smart-scopes-v2: a payer advertising permission-v2 does not refuse a request for SMART v2 scopes, neither at once
    /// nor after the member's consent.
    /// </summary>
    public void RequireV2RequestNotRefused(AuthorizationRedirect? redirect, string requestedScope)
    {
        if (redirect is not { Code: null, Error: { } error }) return;
        check.Fail(Requirements.SmartScopesV2,
            $"A payer whose SMART configuration advertises permission-v2 must grant a request for SMART v2 scopes (asked: \"{requestedScope}\").",
            $"the authorization server redirected with error={error}{(redirect.ErrorDescription is { } description ? $" ({description})" : "")}");
        check.CannotContinue(Requirements.SmartScopesV2, "the scope granted, as the request for SMART v2 scopes got no authorization code");
    }

    /// <summary>The resource types of the member's insurance card (C4DIC), which a wildcard request must reach.</summary>
    private static readonly string[] CardResourceTypes = ["Patient", "Coverage", "Organization"];

    /// <summary>
    /// smart-scopes-v2: the token response's scope grants the v2 request for the card's resources (v1 equivalents count,
    /// as SMART maps .read to .rs). A wildcard (<c>patient/*.rs</c>) is judged by the C4DIC types, since a server may grant
    /// less than a wildcard (RFC 6749 3.3) but the app asked for the member's card.
    /// </summary>
    public void RequireV2ScopesGranted(TokenResponse? granted, string v2Scope)
    {
        var rule = Requirements.SmartScopesV2;
        var token = new TokenExchangeRules(check).RequireGrantedToken(granted);
        check.That(token.Scope is not null, rule,
            $"The token response must state the scope granted for the SMART v2 request \"{v2Scope}\".", "the token response has no scope");
        var needed = ScopeGrant.Parse(v2Scope)
            .SelectMany(s => s.StartsWith("patient/*.", StringComparison.Ordinal) ? CardResourceTypes.Select(type => $"patient/{type}.{s["patient/*.".Length..]}") : [s])
            .ToList();
        var missing = ScopeGrant.Missing(needed, ScopeGrant.Parse(token.Scope));
        check.That(missing.Count == 0, rule,
            $"A payer whose SMART configuration advertises permission-v2 must grant the SMART v2 request \"{v2Scope}\" for the member's card ({string.Join(", ", needed)}).",
            $"granted \"{token.Scope}\", which does not cover {string.Join(", ", missing)}");
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
