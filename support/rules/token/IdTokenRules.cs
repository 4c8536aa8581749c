using System.Text.Json;
using DigitalInsurance.Conformance.Support.Session;
using DigitalInsurance.Conformance.Support.Discovery;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Redaction;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// The id_token of a scenario's own token response, checked the way SMART App Launch's "Steps for using an ID token"
/// describe (scenario-scoped; Reqnroll injects it): the issuer from the SMART configuration, its OpenID configuration
/// and JWKS, the signature and claims (<see cref="IdTokenVerifier"/>), then the fhirUser claim read with the access token.
/// Evidence shows the decoded header and claims, never the token.
/// </summary>
public sealed class IdTokenRules(ConformanceScenario scenario, Check check)
{
    private static readonly Requirement IdTokenRule = Requirements.SmartIdToken;
    private static readonly Requirement FhirUserRule = Requirements.SmartFhiruser;

    private IdTokenVerification? _verification;

    public string RequireIdToken()
    {
        var token = scenario.RequireToken();
        // The checks below need the token, whatever the policy says about the rule.
        if (token.IdToken is null)
            check.Fail(IdTokenRule,
                "A granted request for the openid and fhirUser scopes must return an id_token alongside the access token (SMART App Launch, scopes for requesting identity data).",
                token.Scope is null ? "no id_token; the token response states no scope" : $"no id_token; granted scope \"{token.Scope}\"");
        return token.IdToken;
    }

    public async Task RequireVerifiedAsync()
    {
        var idToken = RequireIdToken();
        scenario.Evidence.AddText("id_token, decoded (signature and raw token omitted)", "application/json", "json", Secrets.DescribeJwt(idToken));

        var smart = await new SmartConfigurationRules(check).FetchAsync(scenario.Fhir);
        var issuer = smart.String("issuer");
        if (issuer is null)
            check.Fail(IdTokenRule,
                "The SMART configuration must name its OpenID Connect issuer (\"issuer\") when it grants openid, so the id_token's iss and keys can be checked.",
                "no issuer in .well-known/smart-configuration");

        var verification = await new IdTokenVerifier(scenario.Http).VerifyAsync(idToken, issuer, scenario.Tokens.ClientId);
        _verification = verification;
        scenario.Evidence.AddText("id_token checks", "text/plain", "txt",
            string.Join("\n", verification.Checks.Select(c => $"{(c.Passed ? "PASS" : "FAIL")}  {c.Name}: {c.Detail}")));
        var failed = verification.Checks.Where(c => !c.Passed).ToList();
        check.That(verification.AllPassed, IdTokenRule,
            $"The id_token must be a JWT signed with RS256 by a key in the JWKS of {issuer}'s OpenID configuration (which must name that issuer), with iss = that issuer, aud containing the client_id, exp in the future and a sub (OpenID Connect Core 3.1.3.7).",
            "failed " + string.Join("; ", failed.Select(c => $"{c.Name}: {c.Detail}")));
    }

    /// <summary>
    /// The fhirUser claim names who signed in, as a resource the access token can read: the patient in context the token
    /// response names (the member), or a RelatedPerson whose patient is that member (their personal representative, which
    /// SMART's fhirUser types and C4DIC's RelatedPerson subscriber allow).
    /// </summary>
    public async Task RequireFhirUserIsMemberOrRepresentativeAsync()
    {
        var claims = _verification?.Claims ?? throw new InvalidOperationException("The id_token has not been verified: a step must verify it first.");
        var (reference, problem) = FhirUserReference.Resolve(claims.TryGetValue("fhirUser", out var claim) ? claim : null, scenario.Fhir.Api.BaseUrl);
        if (reference is null)
            check.Fail(FhirUserRule,
                "The id_token's fhirUser claim must be the URL of the FHIR resource representing the member, absolute or relative to the FHIR base URL (SMART App Launch).",
                problem);
        check.That(reference.ResourceType is "Patient" or "RelatedPerson", FhirUserRule,
            "The member, or their personal representative, signs in to this app: fhirUser must name a Patient or a RelatedPerson.", $"fhirUser names a {reference.ResourceType}");
        var patientInContext = scenario.PatientInContext;
        if (reference.ResourceType == "Patient") new PatientContextRules(check).RequireFhirUserIsPatientInContext(reference, patientInContext);

        var (resource, response) = await scenario.Fhir.ReadAsync(reference.Relative);
        check.That(resource is not null && resource.TypeName == reference.ResourceType && resource.Resource.Id == reference.Id, FhirUserRule,
            $"The fhirUser resource must be readable with the access token and be that {reference.ResourceType}.",
            resource is null ? response.Describe() : $"read returned {resource.Reference}");
        if (resource!.Resource is Hl7.Fhir.Model.RelatedPerson representative)
        {
            var patient = Fhir.FhirReference.Normalize(representative.Patient?.Reference, scenario.Fhir.Api.BaseUrl);
            check.That(patient == $"Patient/{patientInContext}", FhirUserRule,
                $"A RelatedPerson named as fhirUser must be the member's: its patient must be the patient in context the token response names (Patient/{patientInContext}).",
                $"{reference.Relative}.patient is {representative.Patient?.Reference ?? "absent"}");
        }
    }

    /// <summary>How far ahead of the target's clock (this machine's, for an external payer) an iat may be: Microsoft.IdentityModel's default clock skew.</summary>
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>OpenID Connect Core 2: iat is REQUIRED; a token issued later than now (beyond clock skew) is not one this server issued now.</summary>
    public void RequireIssuedAtNotInFuture()
    {
        var claims = VerifiedClaims;
        var now = scenario.Run.Clock.Now;
        var iat = claims.TryGetValue("iat", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        check.That(iat is { } issued && issued <= now + AllowedClockSkew, Requirements.SmartIdTokenIat,
            $"The id_token must carry iat, the time it was issued in seconds since the epoch, and that time must not be in the future (OpenID Connect Core 2; {AllowedClockSkew.TotalMinutes:0} minutes of clock skew allowed).",
            iat is null ? "no numeric iat claim" : $"iat is {iat:u}, the target's clock says {now:u}");
    }

    /// <summary>OpenID Connect Core 2: azp is optional; "If present, it MUST contain the OAuth 2.0 Client ID of this party."</summary>
    public void RequireAuthorizedPartyIsClient()
    {
        var claims = VerifiedClaims;
        if (!claims.TryGetValue("azp", out var azp))
        {
            scenario.Evidence.AddText("id_token azp", "text/plain", "txt", "No azp claim: it is optional, so there is nothing to compare.");
            return;
        }
        var clientId = scenario.Tokens.ClientId;
        check.That(azp.ValueKind == JsonValueKind.String && azp.GetString() == clientId, Requirements.SmartIdTokenAzp,
            $"The id_token's azp, when present, must be the client_id of the app it was issued to ('{clientId}') (OpenID Connect Core 2).",
            $"azp is {azp.GetRawText()}");
    }

    /// <summary>OpenID Connect Core 2: with a nonce in the request the id_token MUST carry it, the value sent.</summary>
    public void RequireNonceEchoed()
    {
        var claims = VerifiedClaims;
        var sent = scenario.Authorization.Request?.Nonce
            ?? throw new InvalidOperationException("This scenario's authorization request sent no nonce: it must ask for openid.");
        var echoed = claims.TryGetValue("nonce", out var nonce) && nonce.ValueKind == JsonValueKind.String ? nonce.GetString() : null;
        check.That(echoed == sent, Requirements.SmartIdTokenNonce,
            "The app sent a nonce with its authorization request, so the id_token must carry a nonce claim with exactly that value (OpenID Connect Core 2 and 3.1.3.7).",
            echoed is null ? "no nonce claim" : "a nonce claim with another value");
    }

    private IReadOnlyDictionary<string, JsonElement> VerifiedClaims =>
        _verification?.Claims ?? throw new InvalidOperationException("The id_token has not been verified: a step must verify it first.");
}
