namespace DemoHealthPlan.Sandbox.Faults;

/// <summary>
/// Named, deliberate rule violations. The harness's detection tests switch them on to prove that
/// each kind of non-conformance is caught; a clean sandbox has none active.
/// </summary>
public sealed class SandboxFaults
{
    /// <summary>Every fault the sandbox knows, with the rule it breaks. Adding a fault means adding it here.</summary>
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["state-not-echoed"] = "The authorization redirect returns a different state than the one sent.",
        ["code-reusable"] = "An authorization code can be exchanged more than once.",
        ["code-never-expires"] = "Authorization codes are accepted after their lifetime.",
        ["redirect-uri-not-checked"] = "The token endpoint accepts a redirect_uri different from the authorization request's.",
        ["client-secret-not-checked"] = "The token endpoint accepts a wrong client secret.",
        ["token-missing-patient"] = "The token response has no patient parameter.",
        ["token-type-not-bearer"] = "The token response's token_type is not Bearer.",
        ["token-cache-headers-missing"] = "The token response lacks Cache-Control: no-store and Pragma: no-cache.",
        ["idtoken-wrong-audience"] = "The id_token's aud is not the client_id.",
        ["idtoken-bad-signature"] = "The id_token's signature does not verify with the published JWKS.",
        ["fhir-without-token"] = "The FHIR API answers without a bearer token.",
        ["401-without-challenge"] = "The FHIR API's 401 answers lack the WWW-Authenticate header.",
        ["cross-patient-read"] = "The FHIR API serves other members' resources.",
        ["writes-allowed"] = "The FHIR API accepts create, update and delete with a read-only token.",
        ["coverage-missing-beneficiary"] = "Coverage resources are served without beneficiary.",
        ["patient-invalid-gender"] = "Patient resources are served with a gender outside the required value set.",
        ["organization-missing-name"] = "Organization resources are served without name.",
        ["search-ignores-parameter"] = "Searches ignore their parameters and return every resource in the compartment.",
        ["paging-broken"] = "Search paging returns the same page again through its next link.",
        ["wrong-content-type"] = "FHIR responses are labelled text/html instead of application/fhir+json.",
        ["malformed-json"] = "FHIR responses carry a body that is not valid JSON.",
        ["server-error"] = "FHIR requests fail with 500 Internal Server Error.",
        ["slow-response"] = "FHIR responses are delayed far beyond a client's timeout.",
        ["aud-not-checked"] = "The authorization endpoint issues codes for an aud that is not its FHIR base URL.",
        ["pkce-not-verified"] = "The token endpoint exchanges a code issued for a PKCE challenge with a wrong or missing code_verifier.",
        ["pkce-plain-accepted"] = "The authorization endpoint accepts code_challenge_method=plain.",
        ["idtoken-iat-in-future"] = "The id_token's iat is a day in the future.",
        ["idtoken-wrong-azp"] = "The id_token's azp is not the client_id.",
        ["idtoken-nonce-not-echoed"] = "The id_token leaves out the nonce the app sent.",
        ["scope-not-enforced"] = "The FHIR API serves every resource type of the member to a token whose scope grants fewer.",
        ["search-ignores-second-parameter"] = "Searches apply only the first parameter they name and ignore the others.",
        ["include-beneficiary-missing"] = "Coverage searches leave out the beneficiaries _include=Coverage:beneficiary asks for.",
        ["invalid-search-value-accepted"] = "Searches answer a parameter value they cannot read with an empty searchset instead of 400.",
        ["strict-handling-ignored"] = "Searches drop parameters they do not know, even when the client asks for strict handling.",
        ["smart-configuration-fhir-json"] = "The SMART configuration below the FHIR base is labelled application/fhir+json instead of application/json.",
        ["patient-context-other-member"] = "Enrollment ties the member's account to another member, so the token's patient in context is someone else.",
        ["smart-configuration-missing-fields"] = "The SMART configuration below the FHIR base lacks the REQUIRED grant_types_supported.",
        ["access-token-never-expires"] = "The FHIR API accepts access tokens after the lifetime their token response stated.",
        ["coverage-subscriber-other-member"] = "A Coverage whose beneficiary is its own subscriber (relationship self) is served naming another member as subscriber.",
        ["v2-scopes-refused"] = "The SMART configuration advertises permission-v2, but an authorization request naming a SMART v2 scope (e.g. patient/*.rs) is refused with invalid_scope.",
        ["reference-to-other-server"] = "Coverage.payor is served as an absolute URL on another payer's server (https://other-payer.example/fhir/Organization/…), outside the FHIR base.",
        ["fhiruser-other-server"] = "The id_token's fhirUser names the member's Patient on another payer's server (https://other-payer.example/fhir/Patient/…), which the access token does not open.",
        ["refresh-without-scope-refused"] = "A refresh request without a scope parameter is refused with invalid_scope instead of being granted the scope originally granted.",
        ["refresh-narrower-scope-ignored"] = "A refresh request asking for a narrower scope gets a token for the whole original grant, and the response leaves out scope as if the narrower one had been granted.",
        ["refresh-scope-wider"] = "A refresh request asking for scopes the refresh token was never granted gets them all, instead of being refused.",
        ["refresh-response-cacheable"] = "Responses to refresh requests leave out Cache-Control: no-store (Pragma: no-cache stays); code exchanges keep both.",
        ["refresh-bad-token-wrong-error"] = "A refresh request with a refresh token the server never issued is refused with error invalid_token instead of invalid_grant.",
        ["smart-configuration-jwks-plain-http"] = "The SMART configuration below the FHIR base names its jwks_uri over plain http on a host that is not loopback (http://keys.demo-health-plan.example/…); the OpenID configuration keeps the real one.",
    };

    private readonly HashSet<string> _active;

    public SandboxFaults(IEnumerable<string> active)
    {
        var names = active.Select(n => n.Trim()).Where(n => n.Length > 0).ToList();
        var unknown = names.Where(n => !Known.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
            throw new SandboxConfigurationException(
                $"Unknown sandbox fault(s): {string.Join(", ", unknown)}. Known faults: {string.Join(", ", Known.Keys)}. " +
                "Set Sandbox:Faults to a comma-separated list of known names, or leave it empty.");
        _active = new HashSet<string>(names, StringComparer.Ordinal);
    }

    public static SandboxFaults None { get; } = new(Array.Empty<string>());

    public IReadOnlyCollection<string> Active => _active;

    public bool IsOn(string name)
    {
        if (!Known.ContainsKey(name)) throw new ArgumentException($"'{name}' is not a known fault.", nameof(name));
        return _active.Contains(name);
    }
}

/// <summary>A configuration mistake the operator must fix; reported as one line, without a stack trace.</summary>
public sealed class SandboxConfigurationException(string message) : Exception(message);
