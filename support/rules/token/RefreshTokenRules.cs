using System.Net;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.OAuth;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// Refresh tokens (RFC 6749 section 6; SMART capability permission-offline, scope offline_access): whether the payer
/// offers them, and what a refresh without scope, with a narrower scope, with a wider scope and with a token never issued
/// must get.
/// </summary>
public sealed class RefreshTokenRules(Check check)
{
    public const string PermissionOffline = "permission-offline";
    public const string OfflineAccess = "offline_access";

    /// <summary>
    /// The code exchange's refresh token. Without one the scenario ends skipped when the payer offers no refresh tokens
    /// (neither advertised nor granted), and fails when it advertises permission-offline and granted offline_access.
    /// </summary>
    public string RequireRefreshToken(TokenResponse? granted, SmartAdvertisement advertised, string requestedScope)
    {
        var token = new TokenExchangeRules(check).RequireGrantedToken(granted);
        if (token.RefreshToken is { Length: > 0 } refreshToken) return refreshToken;

        var rule = Requirements.SmartRefreshToken;
        var capabilities = $"capabilities [{string.Join(", ", advertised.Capabilities)}]";
        var grantedScope = token.Scope ?? requestedScope;
        var offlineGranted = ScopeGrant.Parse(grantedScope).Contains(OfflineAccess);
        var advertises = advertised.Capabilities.Contains(PermissionOffline, StringComparer.Ordinal);
        if (advertises && offlineGranted)
        {
            check.That(false, rule,
                $"A payer whose SMART configuration advertises {PermissionOffline} and that grants {OfflineAccess} must issue a refresh_token with the access token.",
                $"granted scope \"{grantedScope}\"{(token.Scope is null ? " (not stated: the scope requested)" : "")}, no refresh_token");
            check.CannotContinue(rule, "the refresh requests, as the code exchange issued no refresh token");
        }
        NotApplicable.Skip(rule, advertises
            ? $"the payer advertises {PermissionOffline} but did not grant {OfflineAccess} (granted \"{grantedScope}\"), which RFC 6749 3.3 allows (the server \"MAY fully or partially ignore the scope requested\"), and issued no refresh token. Not demonstrated, not failed."
            : $"the SMART configuration does not advertise {PermissionOffline} ({capabilities}) and the code exchange for \"{requestedScope}\" issued no refresh token: the payer offers no refresh tokens (RFC 6749 1.5: \"Issuing a refresh token is optional\"). Not demonstrated, not failed.");
        throw new System.Diagnostics.UnreachableException();
    }

    /// <summary>The refresh was granted: 200 with a new access token.</summary>
    public void RequireGranted(TokenResponse refreshed, Requirement rule, string request)
    {
        if (!check.Holds(refreshed.StatusCode == HttpStatusCode.OK && refreshed.AccessToken is not null, rule,
                $"The token endpoint must grant {request} with a new access token (RFC 6749 sections 6 and 5.1).",
                TokenRefusal.Describe(refreshed)))
            check.CannotContinue(rule, "what the refreshed access token can do, as the refresh granted none");
    }

    /// <summary>RFC 6749 5.1: a response containing tokens must not be cached, the answer to a refresh too.</summary>
    public void RequireNotCached(TokenResponse refreshed)
    {
        foreach (var (header, value) in new[] { ("Cache-Control", "no-store"), ("Pragma", "no-cache") })
            check.That(refreshed.Header(header)?.Contains(value, StringComparison.OrdinalIgnoreCase) == true, Requirements.SmartRefreshNoStore,
                $"The answer to a refresh request, which carries tokens, must carry the header {header}: {value} (RFC 6749 section 5.1).",
                $"{header}: {refreshed.Header(header) ?? "(absent)"}");
    }

    /// <summary>The refreshed token's stated scope (RFC 6749 5.1: when absent, the scope requested) is within <paramref name="allowed"/>.</summary>
    public void RequireStatedScopeWithin(TokenResponse refreshed, string requestedScope, string allowed, Requirement rule, string expectation)
    {
        var stated = refreshed.Scope ?? requestedScope;
        var beyond = ScopeGrant.Beyond(ScopeGrant.Parse(stated), ScopeGrant.Parse(allowed));
        check.That(beyond.Count == 0, rule, expectation,
            $"granted \"{stated}\"{(refreshed.Scope is null ? " (no scope in the response: the scope requested, RFC 6749 5.1)" : "")}, beyond \"{allowed}\": {string.Join(", ", beyond)}");
    }

    /// <summary>The refreshed token reads the member's Patient: a token the API never accepts proves nothing by being refused Coverage.</summary>
    public async Task RequirePatientReadAsync(FhirConversation fhir, string? patientInContext, Requirement rule)
    {
        var patient = RequirePatient(patientInContext, "read");
        var response = await fhir.GetAsync($"Patient/{Uri.EscapeDataString(patient)}");
        check.That(response.Status == HttpStatusCode.OK, rule,
            "The refreshed access token, granted the member's Patient, must read it; otherwise its refusal of Coverage proves nothing.",
            response.Describe());
    }

    /// <summary>The refreshed token, granted no Coverage scope, is refused the member's Coverage (403, or 401).</summary>
    public Task RequireCoverageRefusedAsync(FhirConversation fhir, string? patientInContext, Requirement rule, string expectation) =>
        new ScopeEnforcementRules(check).RequireCoverageRefusedAsync(fhir, patientInContext, rule, expectation);

    /// <summary>
    /// A refresh asking for a scope not originally granted (Coverage): refused as RFC 6749 5.2 describes (invalid_scope,
    /// or invalid_grant), or granted nothing beyond the original grant, stated or tried (the member's Coverage refused).
    /// </summary>
    public async Task RequireRefusedOrWithinOriginalAsync(TokenResponse refreshed, string requestedScope, string originalScope, TokenAuthMethod authMethod,
        FhirConversation fhir, string? patientInContext)
    {
        var rule = Requirements.SmartRefreshScopeNotWider;
        if (refreshed.AccessToken is null)
        {
            var asInvalidScope = TokenRefusal.Judge(refreshed, "invalid_scope", authMethod);
            var asInvalidGrant = TokenRefusal.Judge(refreshed, "invalid_grant", authMethod);
            check.That(asInvalidScope.Conforms || asInvalidGrant.Conforms, rule,
                $"A refresh asking for \"{requestedScope}\", beyond the original grant \"{originalScope}\", must be refused as RFC 6749 section 5.2 describes, or granted no more than the original grant. Expected {asInvalidScope.Expected}, or the same with \"invalid_grant\".",
                asInvalidScope.Observed);
            return;
        }
        var expectation = $"A refresh must never grant a scope not originally granted (RFC 6749 section 6): asked for \"{requestedScope}\", the original grant was \"{originalScope}\".";
        RequireStatedScopeWithin(refreshed, requestedScope, originalScope, rule, expectation);
        await RequireCoverageRefusedAsync(fhir, patientInContext, rule,
            expectation + " Granted no Coverage scope at first, the refreshed token must be refused the member's Coverage with 403 or 401.");
    }

    /// <summary>RFC 6749 5.2: a refresh token the payer never issued is refused with invalid_grant.</summary>
    public void RequireUnissuedTokenRefused(TokenResponse refreshed, TokenAuthMethod authMethod)
    {
        var verdict = TokenRefusal.Judge(refreshed, "invalid_grant", authMethod);
        check.That(verdict.Conforms, Requirements.SmartRefreshInvalidGrant,
            $"A refresh request with a refresh token the payer never issued must be refused (RFC 6749 section 5.2). Expected {verdict.Expected}.",
            verdict.Observed);
    }

    private static string RequirePatient(string? patientInContext, string what) =>
        patientInContext ?? throw new NUnit.Framework.IgnoreException(
            $"Not run: the token names no patient in context whose records to {what} ([{Requirements.SmartTokenPatientContext.Id}] reports that).");
}
