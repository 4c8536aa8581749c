namespace DemoHealthPlan.Sandbox.Faults;

/// <summary>
/// Named, deliberate differences from the sandbox's default behaviour that a conformant payer may show: each one is
/// allowed by the specifications (its description quotes the text that allows it). The detection suite runs the
/// conformance suite against each of them to prove the harness passes conformant payers that differ from this sandbox.
/// Unlike <see cref="SandboxFaults"/>, a variation never breaks a rule.
/// </summary>
public sealed class SandboxVariations
{
    /// <summary>
    /// Every variation the sandbox knows, with what it changes and the spec text that allows it. Adding a variation means
    /// adding it here (and a sandbox test naming it, and an entry in the detection suite's "variations").
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["no-openid"] =
            "The authorization server offers no OpenID Connect: the SMART configuration leaves out the sso-openid-connect " +
            "capability, its issuer and the openid and fhirUser scopes; a request for them is granted without them, so no " +
            "id_token is issued. SMART App Launch 2.x, Conformance: capabilities list what the server supports, and issuer is " +
            "\"Required if the server's capabilities include sso-openid-connect; otherwise, omitted\"; RFC 6749 3.3: the server " +
            "\"MAY fully or partially ignore the scope requested by the client\".",
        ["capability-without-oauth-uris"] =
            "The CapabilityStatement's rest.security carries no oauth-uris extension (the SMART-on-FHIR service is still named). " +
            "SMART App Launch 2.x, Conformance: the authorization endpoints are discovered from " +
            "\"[base]/.well-known/smart-configuration\", which servers SHALL serve; the CapabilityStatement extension of SMART 1.0 " +
            "is not required.",
        ["code-lifetime-10-minutes"] =
            "Authorization codes live 600 s unless Sandbox:CodeLifetimeSeconds sets another lifetime. RFC 6749 4.1.2: \"The " +
            "authorization code MUST expire shortly after it is issued … A maximum authorization code lifetime of 10 minutes is " +
            "RECOMMENDED.\"",
        ["scope-required"] =
            "An authorization request without a scope parameter is refused at once: a redirect to the app with " +
            "error=invalid_scope and its state, before any sign-in. RFC 6749 3.3: \"If the client omits the scope parameter when " +
            "requesting authorization, the authorization server MUST either process the request using a pre-defined default " +
            "value or fail the request indicating an invalid scope.\"",
        ["redirect-uri-refused-elsewhere"] =
            "An authorization request the server refuses (e.g. an unregistered redirect_uri) is answered with a redirect to the " +
            "identity provider's error page on another host (http://localhost:<port>/oauth2/error, another origin than the " +
            "authorization endpoint's 127.0.0.1), never to the app's redirect_uri. RFC 6749 3.1.2.4: the server \"SHOULD inform " +
            "the resource owner of the error and MUST NOT automatically redirect the user-agent to the invalid redirection URI\"; " +
            "where it informs the member is its choice.",
        ["writes-refused-by-gateway"] =
            "An API gateway in front of the FHIR server refuses writes before they reach it: POST [type] 404, PUT 405, DELETE " +
            "501, PATCH 400; nothing changes. C4DIC CapabilityStatement: read, vread and search-type only, so a write is no " +
            "interaction the server offers, and FHIR R4's RESTful API names no single status for refusing one; RFC 9110 gives " +
            "405 (method \"not supported by the target resource\"), 501 (\"does not support the functionality required\"), " +
            "404 and 400 as refusals that perform nothing.",
        ["patient-only-with-launch-patient"] =
            "The token response names the patient in context (the patient parameter) only when the app asked for launch/patient. " +
            "SMART App Launch 2.1, Scopes and Launch Context (standalone apps): an app that needs a patient in context asks for " +
            "it with the launch/patient scope (\"Need patient context at launch time\"); launch context comes with the token " +
            "for the context the app requested, so an app that did not ask may get none.",
        ["searchset-outcome-entry"] =
            "Every searchset carries an OperationOutcome entry with search.mode = outcome. FHIR R4 3.1.1.4 (search.html#errors): " +
            "\"the server SHOULD return ... an OperationOutcome ... in the search set with search.mode = outcome\"; Bundle.entry.search.mode " +
            "\"outcome: an OperationOutcome that provides additional information about the processing of a search\".",
        ["read-differs-in-meta-tag"] =
            "A read by id carries a meta.tag the search copy lacks. FHIR R4 Meta.tag: \"Tags ... applications are not required to " +
            "consider the tags when interpreting the meaning of a resource\"; changes to tags do not change the version (resource.html#tag).",
        ["cost-as-extension"] =
            "Coverage.costToBeneficiary gives every cost as the C4DIC BeneficiaryCostString extension on valueMoney instead of value " +
            "and currency. C4DIC 1.0.0/1.1.0 invariant ValueMoney-details-or-extension: \"(value.exists() and currency.exists()) xor " +
            "extension.where(url='…C4DIC-BeneficiaryCostString-extension').exists()\": either side, never both.",
        ["other-member-organization-readable"] =
            "Every Organization is readable and searchable with any member's token, other members' payors too (their Patient and " +
            "Coverages stay out of reach). FHIR R4 Patient compartment (compartmentdefinition-patient.html) lists no Organization: " +
            "Organization is not in the Patient compartment, so patient-scoped access does not restrict it.",
        ["patient-without-gender"] =
            "Patient resources carry no gender and claim only C4DIC-Patient in meta.profile. C4DIC-Patient (1.0.0 and 1.1.0) derives " +
            "from base Patient, where gender is 0..1: \"a data-minimized version of Patient ... Information that would normally not " +
            "appear on a health insurance card is not required\"; only US Core Patient (not required by C4DIC) makes gender 1..1.",
        ["v1-scopes-only"] =
            "A SMART 1 authorization server: the SMART configuration advertises permission-v1 but not permission-v2 and lists no v2 " +
            "scopes (patient/*.rs …), and a request naming a v2 scope is refused with invalid_scope. SMART App Launch 2.x, Conformance: " +
            "permission-v2 (\"support for SMARTv2 granular scope syntax\") is one capability a server may support, and the server SHALL " +
            "support the scopes it lists in scopes_supported, no others; RFC 6749 3.3 lets it refuse an invalid scope.",
        ["fhiruser-relative-url"] =
            "The id_token's fhirUser is relative to the FHIR base (Patient/<id>) instead of the absolute URL on it. SMART App Launch " +
            "2.x, Scopes for requesting identity data: \"This URL MAY be absolute (e.g., https://ehr.example.org/Practitioner/123), or it " +
            "MAY be relative to the FHIR server base URL associated with the current authorization request (e.g., Practitioner/123).\"",
        ["fhiruser-related-person"] =
            "The id_token's fhirUser names a RelatedPerson of the member (their personal representative, whose patient is the member) " +
            "instead of the member's Patient, as when a representative signs in for them. SMART App Launch 2.x, Scopes for requesting " +
            "identity data: fhirUser is \"the URL of a FHIR resource representing the current user\", \"a resource of type Patient, " +
            "Practitioner, RelatedPerson, or Person\"; C4DIC Coverage.subscriber and policyHolder may be a RelatedPerson.",
        ["no-refresh-tokens"] =
            "The authorization server issues no refresh tokens: the SMART configuration leaves out the permission-offline " +
            "capability, the offline_access scope and the refresh_token grant type, and a request for offline_access is granted " +
            "without it. SMART App Launch 2.x, Conformance: permission-offline is one capability a server may list (\"support for " +
            "refresh tokens (requested by offline_access scope)\"); RFC 6749 1.5: \"Issuing a refresh token is optional at the " +
            "discretion of the authorization server\"; 3.3: the server \"MAY fully or partially ignore the scope requested by the client\".",
    };

    private readonly HashSet<string> _active;

    public SandboxVariations(IEnumerable<string> active)
    {
        var names = active.Select(n => n.Trim()).Where(n => n.Length > 0).ToList();
        var unknown = names.Where(n => !Known.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
            throw new SandboxConfigurationException(
                $"Unknown sandbox variation(s): {string.Join(", ", unknown)}. Known variations: " +
                $"{(Known.Count == 0 ? "none" : string.Join(", ", Known.Keys))}. " +
                "Set Sandbox:Variations to a comma-separated list of known names, or leave it empty.");
        _active = new HashSet<string>(names, StringComparer.Ordinal);
    }

    public static SandboxVariations None { get; } = new(Array.Empty<string>());

    public IReadOnlyCollection<string> Active => _active;

    public bool IsOn(string name)
    {
        if (!Known.ContainsKey(name)) throw new ArgumentException($"'{name}' is not a known variation.", nameof(name));
        return _active.Contains(name);
    }
}
