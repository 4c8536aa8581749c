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
    /// The fhirUser claim names a resource of <paramref name="expectedType"/> that the access token can read; for a
    /// Patient, the patient in context the token response names (the id_token and the token are about the same member).
    /// </summary>
    public async Task RequireFhirUserReadableAsync(string expectedType)
    {
        var claims = _verification?.Claims ?? throw new InvalidOperationException("The id_token has not been verified: a step must verify it first.");
        var (reference, problem) = FhirUserReference.Resolve(claims.TryGetValue("fhirUser", out var claim) ? claim : null, scenario.Fhir.Api.BaseUrl);
        if (reference is null)
            check.Fail(FhirUserRule,
                "The id_token's fhirUser claim must be the URL of the FHIR resource representing the member, absolute or relative to the FHIR base URL (SMART App Launch).",
                problem);
        check.That(reference.ResourceType == expectedType, FhirUserRule,
            $"The member signing in to this app is the patient: fhirUser must name a {expectedType}.", $"fhirUser names a {reference.ResourceType}");
        if (expectedType == "Patient") new PatientContextRules(check).RequireFhirUserIsPatientInContext(reference, scenario.PatientInContext);

        var (resource, response) = await scenario.Fhir.ReadAsync(reference.Relative);
        check.That(resource is not null && resource.TypeName == expectedType && resource.Resource.Id == reference.Id, FhirUserRule,
            $"The fhirUser resource must be readable with the access token and be that {expectedType}.",
            resource is null ? response.Describe() : $"read returned {resource.Reference}");
    }
}
