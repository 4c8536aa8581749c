namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>The keyword a specification states a requirement with.</summary>
public enum SpecLevel { Shall, Should, May }

/// <summary>
/// Where a requirement is stated: the specification, its version (null for an RFC, which has none, and for the harness's
/// own rules), the section, and that section's address (null for the harness's own rules, stated in this repository).
/// </summary>
public sealed record RequirementSource(string Spec, string? Version, string Section, string? Url)
{
    public string Citation => Version is null ? $"{Spec}, {Section}" : $"{Spec} {Version}, {Section}";
}

/// <summary>
/// One rule the harness verifies: the id a failure names ("[id] …") and scenarios are tagged with (<c>@req:id</c>), the
/// keyword and source it comes from, what it requires, and how its checks count when the <c>policy</c> setting does not
/// name it. <see cref="CheckedOnEveryRequest"/> says where a rule no scenario is tagged with is checked instead.
/// </summary>
public sealed record Requirement(
    string Id, SpecLevel Level, RequirementSource Source, string Text, RequirementLevel DefaultPolicy, string? CheckedOnEveryRequest = null,
    string? DefaultPolicyWhy = null)
{
    /// <summary>
    /// Why <see cref="DefaultPolicy"/> applies, as the run banner and warnings quote it: the keyword and source, or
    /// <see cref="DefaultPolicyWhy"/> where the default is not the keyword's (a SHALL the data can only demonstrate).
    /// </summary>
    public string DefaultPolicyReason => DefaultPolicyWhy ?? $"{Id} is {Level.ToString().ToUpperInvariant()} in {Source.Citation}";

    public override string ToString() => Id;
}

/// <summary>
/// The requirement catalogue: every rule the harness judges, once. Checks take these entries, never id strings; the
/// requirements table of features/README.md is generated from it (RequirementsTableTests), and so are the default
/// policy and the Allure links from each <c>@req</c> tag to its source.
/// </summary>
public static class Requirements
{
    public static readonly Requirement SmartAuthorizationCode = new(
        "smart-authorization-code", SpecLevel.Shall,
        new RequirementSource("RFC 6749", null, "4.1.2 Authorization Response", "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2"),
        "SMART, standalone launch / RFC 6749 4.1.2: after the member authorizes, the authorization server redirects the user-agent to the client's `redirect_uri` with an authorization `code`.",
        RequirementLevel.Required);

    public static readonly Requirement SmartStateEcho = new(
        "smart-state-echo", SpecLevel.Shall,
        new RequirementSource("RFC 6749", null, "4.1.2 Authorization Response", "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2"),
        "RFC 6749 4.1.2: `state` is REQUIRED in the response if it was in the request: \"The exact value received from the client.\" SMART: the app SHALL validate the `state` it gets back.",
        RequirementLevel.Required);

    public static readonly Requirement SmartTokenResponse = new(
        "smart-token-response", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "App Launch: Obtain access token", "https://hl7.org/fhir/smart-app-launch/STU2.1/app-launch.html#obtain-access-token"),
        "SMART, \"Obtain access token\": the response is JSON with `access_token` (required), `token_type` (required, fixed value `Bearer`), `scope` (required).",
        RequirementLevel.Required);

    public static readonly Requirement SmartTokenTypeBearer = new(
        "smart-token-type-bearer", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "App Launch: Obtain access token", "https://hl7.org/fhir/smart-app-launch/STU2.1/app-launch.html#obtain-access-token"),
        "SMART: `token_type` — \"Fixed value: `Bearer`\" (RFC 6749 7.1: compared case-insensitively).",
        RequirementLevel.Required);

    public static readonly Requirement SmartTokenExpiresIn = new(
        "smart-token-expires-in", SpecLevel.Should,
        new RequirementSource("SMART App Launch", "2.1.0", "App Launch: Obtain access token", "https://hl7.org/fhir/smart-app-launch/STU2.1/app-launch.html#obtain-access-token"),
        "SMART: `expires_in` — \"Recommended. Lifetime in seconds of the access token\": its absence is a warning by default (`policy`); a non-number value fails `smart-token-response` (RFC 6749 5.1: numeric values are JSON numbers).",
        RequirementLevel.Warn);

    public static readonly Requirement SmartTokenPatientContext = new(
        "smart-token-patient-context", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "Scopes and Launch Context: launch context arrives with the access token", "https://hl7.org/fhir/smart-app-launch/STU2.1/scopes-and-launch-context.html#launch-context-arrives-with-your-access_token"),
        "SMART, launch context: with `launch/patient` or a standalone patient launch, the token response includes `patient`, the id of the Patient in context, readable with the token.",
        RequirementLevel.Required);

    public static readonly Requirement SmartTokenNoStore = new(
        "smart-token-no-store", SpecLevel.Shall,
        new RequirementSource("RFC 6749", null, "5.1 Successful Response", "https://www.rfc-editor.org/rfc/rfc6749#section-5.1"),
        "RFC 6749 5.1: \"The authorization server MUST include the HTTP `Cache-Control` response header field with a value of `no-store` in any response containing tokens … as well as the `Pragma` response header field with a value of `no-cache`.\"",
        RequirementLevel.Required);

    public static readonly Requirement SmartDiscovery = new(
        "smart-discovery", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "Conformance: SMART configuration", "https://hl7.org/fhir/smart-app-launch/STU2.1/conformance.html"),
        "SMART, \"Conformance\": servers SHALL serve a JSON document at `[base]/.well-known/smart-configuration` with `authorization_endpoint`, `token_endpoint` and `capabilities`; here `launch-standalone`, `client-confidential-symmetric`, `context-standalone-patient`, `permission-patient`.",
        RequirementLevel.Required);

    public static readonly Requirement SmartPkceS256 = new(
        "smart-pkce-s256", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "Conformance: Metadata (code_challenge_methods_supported)", "https://hl7.org/fhir/smart-app-launch/STU2.1/conformance.html#metadata"),
        "SMART 2.x: `code_challenge_methods_supported` — \"The `S256` method SHALL be included in this list, and the `plain` method SHALL NOT be included.\"",
        RequirementLevel.Required);

    public static readonly Requirement FhirCapabilityStatement = new(
        "fhir-capability-statement", SpecLevel.Shall,
        new RequirementSource("FHIR R4", "4.0.1", "RESTful API: capabilities", "https://hl7.org/fhir/R4/http.html#capabilities"),
        "FHIR R4 RESTful API: servers SHALL provide a CapabilityStatement at `[base]/metadata`; C4DIC CapabilityStatement: `Patient`, `Coverage`, `Organization` with `read` and `search-type` and the C4DIC supported profiles, FHIR 4.0.1, JSON.",
        RequirementLevel.Required);

    public static readonly Requirement SmartCapabilityOauthUris = new(
        "smart-capability-oauth-uris", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "Conformance: FHIR authorization endpoint and capabilities discovery", "https://hl7.org/fhir/smart-app-launch/STU2.1/conformance.html"),
        "SMART (CapabilityStatement): `rest.security.service` is `SMART-on-FHIR`; an `oauth-uris` extension that is present names the `authorize` and `token` endpoints, which must be those of `.well-known/smart-configuration`. Its absence is no failure (SMART 2.x discovery is `.well-known/smart-configuration`): the scenario is then skipped as not applicable.",
        RequirementLevel.Required);

    public static readonly Requirement FhirSearch = new(
        "fhir-search", SpecLevel.Shall,
        new RequirementSource("FHIR R4", "4.0.1", "Search", "https://hl7.org/fhir/R4/search.html"),
        "FHIR R4 search: a search answers 200 with a Bundle of `type` `searchset`. C4DIC CapabilityStatement: search-type SHALL be supported for Patient, Coverage, Organization.",
        RequirementLevel.Required);

    public static readonly Requirement FhirRead = new(
        "fhir-read", SpecLevel.Shall,
        new RequirementSource("FHIR R4", "4.0.1", "RESTful API: read", "https://hl7.org/fhir/R4/http.html#read"),
        "FHIR R4 read: `GET [base]/[type]/[id]` returns the current resource (C4DIC CapabilityStatement: read SHALL); it is the same resource the search returned.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicPatientProfile = new(
        "c4dic-patient-profile", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "C4DIC Patient profile", "https://hl7.org/fhir/us/insurance-card/STU1/StructureDefinition-C4DIC-Patient.html"),
        "C4DIC: Patient resources returned SHALL conform to C4DIC-Patient. Validator errors fail (errors only against US Core Patient are judged by `us-core-patient-profile`); warnings are reported.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicCoverageProfile = new(
        "c4dic-coverage-profile", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "C4DIC Coverage profile", "https://hl7.org/fhir/us/insurance-card/STU1/StructureDefinition-C4DIC-Coverage.html"),
        "C4DIC: Coverage resources returned SHALL conform to C4DIC-Coverage.",
        RequirementLevel.Required);

    /// <summary>
    /// Not a C4DIC requirement: C4DIC-Patient's baseDefinition is base Patient ("a data-minimized version of Patient ...
    /// Information that would normally not appear on a health insurance card is not required"), and the C4DIC
    /// CapabilityStatement (1.0.0 and 1.1.0) lists only C4DIC-Patient as Patient's supportedProfile. A payer that also
    /// serves US Core (e.g. for ONC (g)(10)) should meet it, hence SHOULD and warn by default.
    /// </summary>
    public static readonly Requirement UsCorePatientProfile = new(
        "us-core-patient-profile", SpecLevel.Should,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "C4DIC Patient: derived from base Patient, not US Core Patient", "https://hl7.org/fhir/us/insurance-card/STU1/StructureDefinition-C4DIC-Patient.html"),
        "US Core Patient (US Core 4.0.0 under C4DIC 1.0.0, 3.1.1 under 1.1.0; e.g. gender 1..1) is met. C4DIC does not require it: C4DIC-Patient derives from base Patient (data-minimized) and C4DIC's CapabilityStatement lists only C4DIC-Patient; so warn by default, and no C4DIC scenario fails for a US Core-only rule.",
        RequirementLevel.Warn);

    public static readonly Requirement C4dicOrganizationProfile = new(
        "c4dic-organization-profile", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "C4DIC Organization profile", "https://hl7.org/fhir/us/insurance-card/STU1/StructureDefinition-C4DIC-Organization.html"),
        "C4DIC: Organization resources returned SHALL conform to C4DIC-Organization.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicCoverageBeneficiary = new(
        "c4dic-coverage-beneficiary", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "C4DIC Coverage: beneficiary", "https://hl7.org/fhir/us/insurance-card/STU1/StructureDefinition-C4DIC-Coverage.html"),
        "C4DIC-Coverage: `beneficiary` 1..1, Must Support, Reference(C4DIC Patient): the member's Coverage names the member.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicCoverageSubscriber = new(
        "c4dic-coverage-subscriber", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "C4DIC Coverage: subscriber, relationship", "https://hl7.org/fhir/us/insurance-card/STU1/StructureDefinition-C4DIC-Coverage.html"),
        "C4DIC-Coverage: `subscriber` 1..1 and `relationship` 1..1, Must Support; FHIR R4 Coverage.relationship is the beneficiary's relationship to the subscriber, and code `self` means \"The Beneficiary is the Subscriber\": a Coverage of the member (beneficiary, checked by c4dic-coverage-beneficiary) with relationship `self` names the member as subscriber, and a RelatedPerson subscriber is one of theirs (RelatedPerson.patient). FHIR allows a dependant's policyholder as another Patient (subscriber Reference(Patient | RelatedPerson)): not judged.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicCoveragePayor = new(
        "c4dic-coverage-payor", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "C4DIC Coverage: payor", "https://hl7.org/fhir/us/insurance-card/STU1/StructureDefinition-C4DIC-Coverage.html"),
        "C4DIC-Coverage: `payor` 1..1, Must Support, Reference(C4DIC Organization): the payer must be an Organization the app can read.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchCoverageBeneficiary = new(
        "c4dic-search-coverage-beneficiary", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Coverage searchParam", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Coverage searchParam `beneficiary` (SHALL); FHIR R4 search: every entry matches the criteria and the resource the value came from is found.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchCoverageId = new(
        "c4dic-search-coverage-id", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Coverage searchParam", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Coverage searchParam `_id` (SHALL).",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchCoverageIdentifier = new(
        "c4dic-search-coverage-identifier", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Coverage searchParam", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Coverage searchParam `identifier` (SHALL), token `system|value`.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchCoverageLastUpdated = new(
        "c4dic-search-coverage-last-updated", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Coverage searchParam", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Coverage searchParam `_lastUpdated` (SHALL), date prefixes `ge`/`le`.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchCoveragePatient = new(
        "c4dic-search-coverage-patient", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Coverage searchParam", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Coverage searchParam `patient` (SHALL).",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchCoveragePeriod = new(
        "c4dic-search-coverage-period", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Coverage searchParam", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Coverage searchParam `period` (SHALL), date prefixes.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchCoverageProfile = new(
        "c4dic-search-coverage-profile", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Coverage searchParam", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Coverage searchParam `_profile` (SHALL).",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchCoverageStatus = new(
        "c4dic-search-coverage-status", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Coverage searchParam", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Coverage searchParam `status` (SHALL).",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchCoverageSubscriber = new(
        "c4dic-search-coverage-subscriber", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Coverage searchParam", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Coverage searchParam `subscriber` (SHALL).",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchIncludePayor = new(
        "c4dic-search-include-payor", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Coverage searchInclude", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Coverage searchInclude `Coverage:payor`; FHIR R4 `_include`: referenced resources returned with `search.mode` = `include`.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchOrganizationId = new(
        "c4dic-search-organization-id", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Organization searchParam", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Organization searchParam `_id` (SHALL).",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchPatientId = new(
        "c4dic-search-patient-id", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Patient searchParam", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Patient searchParam `_id` (SHALL).",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchPatientIdentifier = new(
        "c4dic-search-patient-identifier", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Patient searchParam", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Patient searchParam `identifier` (SHALL).",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchPatientLastUpdated = new(
        "c4dic-search-patient-last-updated", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Patient searchParam", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Patient searchParam `_lastUpdated` (SHALL).",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchPatientName = new(
        "c4dic-search-patient-name", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Patient searchParam", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Patient searchParam `name` (SHALL), string matching (starts-with, case-insensitive).",
        RequirementLevel.Required);

    public static readonly Requirement FhirReadOnly = new(
        "fhir-read-only", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: interactions", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement: Patient, Coverage, Organization support read, vread and search-type only; SMART: `.read` scopes grant read access only; FHIR R4: a refused interaction changes nothing. Refusals: 401, 403, 405, or a gateway's 400, 404, 501; 412/409 means the server processed the write (it evaluated the probe's impossible If-Match) and fails. The probes carry preconditions that cannot hold, so a server that processes writes keeps its data.",
        RequirementLevel.Required);

    public static readonly Requirement FhirSearchPaging = new(
        "fhir-search-paging", SpecLevel.Shall,
        new RequirementSource("FHIR R4", "4.0.1", "RESTful API: paging", "https://hl7.org/fhir/R4/http.html#paging"),
        "FHIR R4 search, paging: following `next` links walks the results page by page, each match once, and ends; the pages together equal the unpaged result.",
        RequirementLevel.Required);

    public static readonly Requirement SmartConfigurationJson = new(
        "smart-configuration-json", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "Conformance: Discovery using a Well-Known URI", "https://hl7.org/fhir/smart-app-launch/STU2.1/conformance.html#using-well-known"),
        "SMART, \"Conformance\": \"Responses for `/.well-known/smart-configuration` requests SHALL be JSON, regardless of `Accept` headers provided in the request\"; \"servers SHALL respond with `application/json`\" (so `application/fhir+json` does not do).",
        RequirementLevel.Required);

    public static readonly Requirement SmartConfigurationRequiredFields = new(
        "smart-configuration-required-fields", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "Conformance: Metadata", "https://hl7.org/fhir/smart-app-launch/STU2.1/conformance.html#metadata"),
        "SMART 2.x metadata: `grant_types_supported` REQUIRED (\"authorization_code\" when SMART App Launch is supported), `capabilities` REQUIRED, `code_challenge_methods_supported` REQUIRED; `issuer` and `jwks_uri` CONDITIONAL, \"Required if the server's capabilities include `sso-openid-connect`\". `token_endpoint_auth_methods_supported` is OPTIONAL there and not required.",
        RequirementLevel.Required);

    public static readonly Requirement SmartPatientContextMember = new(
        "smart-patient-context-member", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "Scopes and Launch Context: launch/patient (standalone)", "https://hl7.org/fhir/smart-app-launch/STU2.1/scopes-and-launch-context.html#launch-context-arrives-with-your-access_token"),
        "SMART: `patient` in the token response names the patient the app was launched for; in a member's standalone launch (C4DIC: a member reading their own insurance card) that is the member who signed in: the Patient has the member's name and birthDate, and the member ID is a Patient.identifier of type MB or the `subscriberId` or identifier of type MB (C4DIC `memberid`) of a Coverage whose beneficiary the Patient is, found by type, never by position.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchCombination = new(
        "c4dic-search-combination", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: rest (server)", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement: \"The C4DIC Server SHALL: [...] Support the searchParameters on each profile individually and in combination.\" Here Coverage `patient` with `status`, and `patient` with `_lastUpdated`: every match meets both criteria.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchIncludeBeneficiary = new(
        "c4dic-search-include-beneficiary", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: Coverage searchInclude", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement, Coverage searchInclude `Coverage:beneficiary` (beside `Coverage:payor`); FHIR R4 `_include`: referenced resources returned with `search.mode` = `include`.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicSearchInvalidValue = new(
        "c4dic-search-invalid-value", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: rest (server)", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement: \"The C4DIC Server SHALL: [...] Return the following response classes: (Status 400): invalid parameter\"; FHIR R4 RESTful API: an error answer carries an OperationOutcome. Here a search parameter with a value of the wrong type (a date that is not one).",
        RequirementLevel.Required);

    public static readonly Requirement FhirSearchStrictHandling = new(
        "fhir-search-strict-handling", SpecLevel.Shall,
        new RequirementSource("FHIR R4", "4.0.1", "Search: Handling Errors", "https://hl7.org/fhir/R4/search.html#errors"),
        "FHIR R4 search: with `Prefer: handling=strict` the client asks the server to \"return an error for any unknown or unsupported parameter\"; C4DIC CapabilityStatement: the server SHALL return \"(Status 400): invalid parameter\". A search with a parameter the server does not know, sent with that header, gets 400 with an OperationOutcome.",
        RequirementLevel.Required);

    public static readonly Requirement SmartApiWwwAuthenticate = new(
        "smart-api-www-authenticate", SpecLevel.Shall,
        new RequirementSource("RFC 6750", null, "3 The WWW-Authenticate Response Header Field", "https://www.rfc-editor.org/rfc/rfc6750#section-3"),
        "RFC 6750 section 3: \"If the protected resource request does not include authentication credentials or does not contain an access token that enables access to the protected resource, the resource server MUST include the HTTP \"WWW-Authenticate\" response header field\"; \"All challenges defined by this specification MUST use the auth-scheme value \"Bearer\".\"",
        RequirementLevel.Required);

    public static readonly Requirement SmartApiRequiresToken = new(
        "smart-api-requires-token", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "CapabilityStatement: rest.security", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "C4DIC CapabilityStatement rest.security: \"A server SHALL reject any unauthorized requests by returning an HTTP 401 unauthorized response code.\"",
        RequirementLevel.Required);

    public static readonly Requirement SmartAuthorizationDenied = new(
        "smart-authorization-denied", SpecLevel.Shall,
        new RequirementSource("RFC 6749", null, "4.1.2.1 Error Response", "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1"),
        "RFC 6749 4.1.2.1: when the resource owner denies the request, the server redirects with `error=access_denied` and the `state` received.",
        RequirementLevel.Required);

    public static readonly Requirement SmartCodeExpiry = new(
        "smart-code-expiry", SpecLevel.Shall,
        new RequirementSource("RFC 6749", null, "4.1.2 Authorization Response", "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2"),
        "RFC 6749 4.1.2: \"The authorization code MUST expire shortly after it is issued to mitigate the risk of leaks. A maximum authorization code lifetime of 10 minutes is RECOMMENDED.\" An expired code gets `invalid_grant` (5.2). The harness exchanges it after the payer's stated lifetime (`codeLifetimeSeconds`; the embedded sandbox reports its own) plus a margin.",
        RequirementLevel.Required);

    public static readonly Requirement SmartCodeSingleUse = new(
        "smart-code-single-use", SpecLevel.Shall,
        new RequirementSource("RFC 6749", null, "4.1.2 Authorization Response", "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2"),
        "RFC 6749 4.1.2: \"The client MUST NOT use the authorization code more than once. If an authorization code is used more than once, the authorization server MUST deny the request\" (`invalid_grant`).",
        RequirementLevel.Required);

    public static readonly Requirement SmartFhiruser = new(
        "smart-fhiruser", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "Scopes and Launch Context: scopes for requesting identity data", "https://hl7.org/fhir/smart-app-launch/STU2.1/scopes-and-launch-context.html#scopes-for-requesting-identity-data"),
        "SMART, `fhirUser` scope: the id_token's `fhirUser` claim is the URL of a FHIR resource representing the user (\"MAY be absolute … or it MAY be relative to the FHIR server base URL\"; an absolute URL counts only on the FHIR base, compared as RFC 3986 6.2.2 does), readable with the access token; SMART lets it be \"a resource of type Patient, Practitioner, RelatedPerson, or Person\": here the member's Patient, which must be the patient in context the same token response names (`Patient/{patient}`), or a RelatedPerson whose `patient` is that member (a personal representative, which C4DIC allows as a Coverage's subscriber).",
        RequirementLevel.Required);

    public static readonly Requirement SmartIdToken = new(
        "smart-id-token", SpecLevel.Shall,
        new RequirementSource("OpenID Connect Core", "1.0", "3.1.3.7 ID Token Validation", "https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation"),
        "SMART / OIDC Core 3.1.3.7: when the app asks for `openid` and the SMART configuration advertises `sso-openid-connect` (otherwise the scenario is skipped as not applicable), the token response carries an id_token: a JWT signed RS256 with a key from the JWKS of the OpenID configuration of the SMART configuration's `issuer`, `iss` = that issuer; OpenID Connect Discovery 4.3: the OpenID configuration's `issuer` is identical to the issuer it was fetched for (so `iss` equals both); `aud` = client_id, `exp` in the future, `sub` present.",
        RequirementLevel.Required);

    public static readonly Requirement SmartPatientCompartment = new(
        "smart-patient-compartment", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "Scopes and Launch Context: patient-specific scopes", "https://hl7.org/fhir/smart-app-launch/STU2.1/scopes-and-launch-context.html#patient-specific-scopes"),
        "SMART: `patient/*.read` grants the resources of the patient in context only; C4DIC CapabilityStatement: another member's resources are refused (403) or unknown (404) and never returned by search.",
        RequirementLevel.Required);

    public static readonly Requirement SmartRedirectUriRegistered = new(
        "smart-redirect-uri-registered", SpecLevel.Shall,
        new RequirementSource("RFC 6749", null, "4.1.2.1 Error Response", "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1"),
        "RFC 6749 3.1.2 and 4.1.2.1: if the redirection URI is invalid or not registered, the server SHOULD inform the resource owner of the error and MUST NOT automatically redirect the user-agent to it. The error page may be the authorization server's own or on another host of the payer's identity provider; it must not be on the app's redirect_uri origin, nor start sign-in.",
        RequirementLevel.Required);

    public static readonly Requirement SmartScopeDefault = new(
        "smart-scope-default", SpecLevel.Shall,
        new RequirementSource("RFC 6749", null, "3.3 Access Token Scope", "https://www.rfc-editor.org/rfc/rfc6749#section-3.3"),
        "RFC 6749 3.3: \"If the client omits the scope parameter when requesting authorization, the authorization server MUST either process the request using a pre-defined default value or fail the request indicating an invalid scope.\" A payer that processes the request is held to its documented default (here `patient/*.read`): granted all of it and nothing beyond it, stated in the token response's `scope`. A refusal with `error=invalid_scope` conforms (the scenario is then skipped: no default grant to check); any other error instead of a code fails this rule.",
        RequirementLevel.Required);

    public static readonly Requirement SmartScopeNotWider = new(
        "smart-scope-not-wider", SpecLevel.Shall,
        new RequirementSource("RFC 6749", null, "3.3 Access Token Scope", "https://www.rfc-editor.org/rfc/rfc6749#section-3.3"),
        "RFC 6749 3.3 / SMART: the granted `scope` in the token response is not wider than the scope the app asked for.",
        RequirementLevel.Required);

    public static readonly Requirement SmartTokenClientAuthentication = new(
        "smart-token-client-authentication", SpecLevel.Shall,
        new RequirementSource("RFC 6749", null, "5.2 Error Response", "https://www.rfc-editor.org/rfc/rfc6749#section-5.2"),
        "RFC 6749 2.3.1 and 5.2: a confidential client authenticates with its secret; a wrong secret gets `invalid_client`: 401 with `WWW-Authenticate` when the secret came in the Authorization header (`tokenAuthMethod=basic`), 401 or 400 when it came in the form (`post`, where RFC 6749 5.2 lets the server choose).",
        RequirementLevel.Required);

    public static readonly Requirement SmartTokenRedirectUri = new(
        "smart-token-redirect-uri", SpecLevel.Shall,
        new RequirementSource("RFC 6749", null, "4.1.3 Access Token Request", "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3"),
        "RFC 6749 4.1.3: `redirect_uri` is REQUIRED at the token endpoint when it was in the authorization request, \"and their values MUST be identical\"; otherwise `invalid_grant`.",
        RequirementLevel.Required);

    public static readonly Requirement SmartPkceVerifier = new(
        "smart-pkce-verifier", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "App Launch: Considerations for PKCE Support", "https://hl7.org/fhir/smart-app-launch/STU2.1/app-launch.html#considerations-for-pkce-support"),
        "SMART 2.x: \"SMART servers SHALL support the `S256` `code_challenge_method`\"; RFC 7636 4.6: the server verifies the `code_verifier` against the code's challenge, \"If the values are not equal, an error response indicating `invalid_grant` … MUST be returned.\" A code issued for a challenge is refused with a wrong `code_verifier` (`invalid_grant`) and without one (`invalid_grant`, or `invalid_request` for the missing parameter, RFC 6749 5.2). Skipped, with the reason, when the run sends no PKCE (`usePkce`).",
        RequirementLevel.Required);

    public static readonly Requirement SmartPkcePlainRefused = new(
        "smart-pkce-plain-refused", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "App Launch: Considerations for PKCE Support", "https://hl7.org/fhir/smart-app-launch/STU2.1/app-launch.html#considerations-for-pkce-support"),
        "SMART 2.x: SMART servers \"SHALL NOT support the `plain` method\": an authorization request with `code_challenge_method=plain` gets no authorization code (an error redirect to the app, or the server's own error page, before or after sign-in). Skipped, with the reason, when the run sends no PKCE (`usePkce`).",
        RequirementLevel.Required);

    public static readonly Requirement SmartAudChecked = new(
        "smart-aud-checked", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "App Launch: Request authorization code", "https://hl7.org/fhir/smart-app-launch/STU2.1/app-launch.html#request-authorization-code"),
        "SMART 2.x, authorization request: `aud` is required, the \"URL of the EHR resource server from which the app wishes to retrieve FHIR data. This parameter prevents leaking a genuine bearer token to a counterfeit resource server.\" Servers SHALL support it, so an authorization request whose `aud` is not the payer's FHIR base URL gets no authorization code (an error redirect to the app, or the server's own error page, before or after sign-in).",
        RequirementLevel.Required);

    public static readonly Requirement SmartIdTokenIat = new(
        "smart-id-token-iat", SpecLevel.Shall,
        new RequirementSource("OpenID Connect Core", "1.0", "2. ID Token", "https://openid.net/specs/openid-connect-core-1_0.html#IDToken"),
        "OIDC Core 2: `iat` REQUIRED, \"Time at which the JWT was issued\" (seconds since the epoch); 3.1.3.7: \"The iat Claim can be used to reject tokens that were issued too far away from the current time.\" The harness requires it present and not later than the target's clock plus 5 minutes of clock skew.",
        RequirementLevel.Required);

    public static readonly Requirement SmartIdTokenAzp = new(
        "smart-id-token-azp", SpecLevel.Shall,
        new RequirementSource("OpenID Connect Core", "1.0", "2. ID Token", "https://openid.net/specs/openid-connect-core-1_0.html#IDToken"),
        "OIDC Core 2: `azp` OPTIONAL, the authorized party: \"If present, it MUST contain the OAuth 2.0 Client ID of this party.\" An id_token without `azp` passes.",
        RequirementLevel.Required);

    public static readonly Requirement SmartIdTokenNonce = new(
        "smart-id-token-nonce", SpecLevel.Shall,
        new RequirementSource("OpenID Connect Core", "1.0", "2. ID Token", "https://openid.net/specs/openid-connect-core-1_0.html#IDToken"),
        "OIDC Core 2: \"If present in the Authentication Request, Authorization Servers MUST include a nonce Claim in the ID Token with the Claim Value being the nonce value sent in the Authentication Request.\" The harness sends a nonce whenever it asks for `openid`.",
        RequirementLevel.Required);

    public static readonly Requirement SmartScopeEnforced = new(
        "smart-scope-enforced", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "C4DIC CapabilityStatement: response classes", "https://hl7.org/fhir/us/insurance-card/STU1/CapabilityStatement-c4dic.html"),
        "SMART App Launch: a scope grants access to the resource types it names, no more; the C4DIC CapabilityStatement has the server \"Return the following response classes: … (Status 403): insufficient scopes\" (and 401/4xx for an unauthorized request). A token granted only `patient/Patient.read` that searches the member's Coverage gets 403 (or 401), never the Coverages.",
        RequirementLevel.Required);

    public static readonly Requirement SmartAccessTokenExpiry = new(
        "smart-access-token-expiry", SpecLevel.Shall,
        new RequirementSource("RFC 6750", null, "3.1 Error Codes", "https://www.rfc-editor.org/rfc/rfc6750#section-3.1"),
        "RFC 6749 5.1: `expires_in` is \"the lifetime in seconds of the access token\" from \"the time the response was generated\"; RFC 6750 3.1: `invalid_token`, \"The access token provided is expired, revoked, malformed, or invalid for other reasons. The resource SHOULD respond with the HTTP 401 (Unauthorized) status code\", and the C4DIC CapabilityStatement: \"A server SHALL reject any unauthorized requests by returning an HTTP 401\". The token reads the member's Patient within its stated lifetime, and is refused with 401 once `expires_in` plus 5 min 2 s (the clock skew JWT validators commonly allow) has passed.",
        RequirementLevel.Required);

    public static readonly Requirement C4dicMustSupport = new(
        "c4dic-must-support", SpecLevel.Shall,
        new RequirementSource("US Core", "4.0.0", "Conformance Expectations: Must Support elements", "https://hl7.org/fhir/us/core/STU4/conformance-expectations.html#must-support-elements"),
        "C4DIC / US Core \"Must Support\": servers SHALL be capable of populating every Must Support element and slice; each one populated in at least one resource the member can get demonstrates it (a per-element table is attached). An element the member's data leaves out is not demonstrated, not failed: the scenario is skipped naming it, unless `policy` sets c4dic-must-support=required.",
        RequirementLevel.Warn,
        DefaultPolicyWhy: "c4dic-must-support is demonstrated by the member's data: an element it leaves out is not demonstrated, not failed");

    public static readonly Requirement C4dicReferenceResolution = new(
        "c4dic-reference-resolution", SpecLevel.Shall,
        new RequirementSource("CARIN Digital Insurance Card", "1.0.0", "C4DIC Coverage: references and targetProfile", "https://hl7.org/fhir/us/insurance-card/STU1/StructureDefinition-C4DIC-Coverage.html"),
        "C4DIC-Coverage: `beneficiary` Reference(C4DIC-Patient), `subscriber` Reference(Patient | RelatedPerson), `payor` Reference(C4DIC-Organization); FHIR R4 `targetProfile`: \"the content must conform to at least one of them\". Each resolves (read with the member's token) and the target meets its profiles.",
        RequirementLevel.Required);

    public static readonly Requirement HarnessPreflight = new(
        "harness-preflight", SpecLevel.Shall,
        new RequirementSource("DigitalInsurance.Conformance harness", null, "Preflight", null),
        "Harness (not an IG rule): before any conformance scenario, the settings, page model, browser and FHIR packages are in place, the authorization and FHIR hosts resolve, accept TCP and answer HTTP, SMART discovery names the configured endpoints, and the mailbox accepts the login; each problem is one line naming its fix.",
        RequirementLevel.Required);

    public static readonly Requirement SmartTransportTls = new(
        "smart-transport-tls", SpecLevel.Shall,
        new RequirementSource("RFC 6749", null, "3.1, 3.2 and 10.9 (TLS at the authorization and token endpoints); 1.6 (TLS version)", "https://www.rfc-editor.org/rfc/rfc6749#section-10.9"),
        "RFC 6749 3.1/3.2/10.9: the authorization and token endpoints MUST require TLS, and 1.6 leaves the version to current practice, which BCP 195 (RFC 9325 3.1.1) sets at TLS 1.2 or later, MUST NOT TLS 1.0/1.1; SMART App Launch 2.x (Security) and RFC 9700 carry the same for the FHIR API, whose bearer tokens must not travel in clear. The harness requires https for the authorize, token and FHIR base URLs (a settings error otherwise) and the SMART configuration's `jwks_uri`, and the preflight fails a negotiated TLS below 1.2. Loopback hosts (127.0.0.0/8, ::1, localhost) are exempt, for test payers: the embedded sandbox, reached on loopback over plain http, holds the rule by its exemption; its fault smart-configuration-jwks-plain-http advertises a jwks_uri over plain http on another host, and unit tests with a loopback TLS listener prove the TLS version judgement (tests/.../Configuration, Preflight).",
        RequirementLevel.Required);

    public static readonly Requirement FhirResponseTime = new(
        "fhir-response-time", SpecLevel.Shall,
        new RequirementSource("DigitalInsurance.Conformance harness", null, "README: setting httpTimeoutSeconds", null),
        "Harness (not an IG rule; FHIR R4 states no figure): the app gives up on a FHIR request after `httpTimeoutSeconds` (default 20 s); a server that does not answer in that time fails the request's scenario, naming this rule, rather than hanging the run.",
        RequirementLevel.Required,
        CheckedOnEveryRequest: "Every FHIR request the harness sends (`support/fhir/FhirApi.cs` reports it to `support/rules/resources/ResponseTimeRules.cs`): the `@fhir` and `@security` scenarios, the CapabilityStatement and SMART-security scenarios, the id_token scenario (fhirUser read) and the token scenario that reads the patient in context.");

    public static readonly Requirement SmartScopesV2 = new(
        "smart-scopes-v2", SpecLevel.Shall,
        new RequirementSource("SMART App Launch", "2.1.0", "Conformance: Permissions; Scopes and Launch Context: Scopes for requesting clinical data", "https://hl7.org/fhir/smart-app-launch/STU2.1/scopes-and-launch-context.html#scopes-for-requesting-clinical-data"),
        "SMART App Launch 2.x, Conformance: `permission-v2`: \"support for SMARTv2 granular scope syntax\" (`permission-v1`: \"support for SMARTv1 scope syntax (e.g., `patient/Observation.read`)\"); Scopes for requesting clinical data: \"Valid suffixes are a subset of the in-order string `.cruds`\" (`patient/*.rs`: \"Permission to read and search any resource for the current patient\"). A payer whose SMART configuration advertises `permission-v2` grants an app's request for `patient/*.rs`: not refused, and the token response's `scope` covers it for the member's card, `patient/Patient.rs`, `patient/Coverage.rs` and `patient/Organization.rs` (a server may grant less than a wildcard, RFC 6749 3.3; v1 equivalents count: servers \"SHOULD process v1 scopes with the following semantics in v2: v1 `.read` ⇒ v2 `.rs`\"). With `scope=auto` (the default) every launch asks for `patient/*.rs` where `permission-v2` is advertised, else `patient/*.read`. Skipped (not demonstrated) without `permission-v2`.",
        RequirementLevel.Required);

    private static readonly RequirementSource RefreshSource =
        new("RFC 6749", null, "6 Refreshing an Access Token", "https://www.rfc-editor.org/rfc/rfc6749#section-6");

    private const string RefreshApplies =
        " Verified when the payer offers refresh tokens: the app asks for `offline_access` and the token response carries a `refresh_token`; a payer that advertises neither (SMART capability `permission-offline`) nor issues one is not judged (skipped, with the reason), one that advertises `permission-offline` and grants `offline_access` without a refresh token fails `smart-refresh-token`.";

    public static readonly Requirement SmartRefreshToken = new(
        "smart-refresh-token", SpecLevel.Shall, RefreshSource,
        "RFC 6749 6: a refresh request carries the refresh token and an OPTIONAL scope, \"if omitted is treated as equal to the scope originally granted by the resource owner\"; 5.1: the server answers with a new access token. SMART App Launch 2.x, capability `permission-offline`: \"support for refresh tokens (requested by offline_access scope)\". A refresh without scope is granted a new access token." + RefreshApplies,
        RequirementLevel.Required);

    public static readonly Requirement SmartRefreshNoStore = new(
        "smart-refresh-no-store", SpecLevel.Shall,
        new RequirementSource("RFC 6749", null, "5.1 Successful Response", "https://www.rfc-editor.org/rfc/rfc6749#section-5.1"),
        "RFC 6749 5.1: \"The authorization server MUST include the HTTP `Cache-Control` response header field with a value of `no-store` in any response containing tokens\", and `Pragma: no-cache`: the answer to a refresh request too, which carries a new access token (and, mostly, a new refresh token)." + RefreshApplies,
        RequirementLevel.Required);

    public static readonly Requirement SmartRefreshNarrowerScope = new(
        "smart-refresh-narrower-scope", SpecLevel.Shall, RefreshSource,
        "RFC 6749 6: the refresh request's `scope` may name less than was originally granted; 5.1: the response's `scope` is \"OPTIONAL, if identical to the scope requested by the client; otherwise, REQUIRED\". A refresh asking for `patient/Patient.read` out of a grant of `patient/Patient.read patient/Coverage.read` is granted a token whose stated scope (or, when the response leaves it out, the scope asked for) is within the narrower one, which reads the member's Patient and is refused the member's Coverage (403, or 401)." + RefreshApplies,
        RequirementLevel.Required);

    public static readonly Requirement SmartRefreshScopeNotWider = new(
        "smart-refresh-scope-not-wider", SpecLevel.Shall, RefreshSource,
        "RFC 6749 6: \"The requested scope MUST NOT include any scope not originally granted by the resource owner\"; 5.2: `invalid_scope`, \"The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner\". A refresh of a grant of `patient/Patient.read` asking for `patient/Coverage.read` too is refused (HTTP 400 with `invalid_scope`, or `invalid_grant`, which some servers use for a scope beyond the grant), or granted nothing beyond the original grant: a stated scope within it, and the member's Coverage refused (403, or 401)." + RefreshApplies,
        RequirementLevel.Required);

    public static readonly Requirement SmartRefreshInvalidGrant = new(
        "smart-refresh-invalid-grant", SpecLevel.Shall,
        new RequirementSource("RFC 6749", null, "5.2 Error Response", "https://www.rfc-editor.org/rfc/rfc6749#section-5.2"),
        "RFC 6749 5.2: `invalid_grant`, \"The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked …\": a refresh request with a refresh token the payer never issued is refused with HTTP 400, error `invalid_grant` and no access token." + RefreshApplies,
        RequirementLevel.Required);

    /// <summary>Every entry, in the order of the requirements table. Declared after the entries: static fields initialize in text order.</summary>
    public static IReadOnlyList<Requirement> All { get; } =
    [
        SmartAuthorizationCode,
        SmartStateEcho,
        SmartTokenResponse,
        SmartTokenTypeBearer,
        SmartTokenExpiresIn,
        SmartTokenPatientContext,
        SmartTokenNoStore,
        SmartDiscovery,
        SmartPkceS256,
        SmartConfigurationJson,
        SmartConfigurationRequiredFields,
        FhirCapabilityStatement,
        SmartCapabilityOauthUris,
        FhirSearch,
        FhirRead,
        C4dicPatientProfile,
        UsCorePatientProfile,
        C4dicCoverageProfile,
        C4dicOrganizationProfile,
        C4dicCoverageBeneficiary,
        C4dicCoveragePayor,
        C4dicSearchCoverageBeneficiary,
        C4dicSearchCoverageId,
        C4dicSearchCoverageIdentifier,
        C4dicSearchCoverageLastUpdated,
        C4dicSearchCoveragePatient,
        C4dicSearchCoveragePeriod,
        C4dicSearchCoverageProfile,
        C4dicSearchCoverageStatus,
        C4dicSearchCoverageSubscriber,
        C4dicSearchIncludePayor,
        C4dicSearchCombination,
        C4dicSearchIncludeBeneficiary,
        C4dicSearchInvalidValue,
        FhirSearchStrictHandling,
        C4dicSearchOrganizationId,
        C4dicSearchPatientId,
        C4dicSearchPatientIdentifier,
        C4dicSearchPatientLastUpdated,
        C4dicSearchPatientName,
        FhirReadOnly,
        FhirSearchPaging,
        SmartApiRequiresToken,
        SmartApiWwwAuthenticate,
        SmartPatientContextMember,
        SmartAuthorizationDenied,
        SmartCodeExpiry,
        SmartCodeSingleUse,
        SmartFhiruser,
        SmartIdToken,
        SmartPatientCompartment,
        SmartRedirectUriRegistered,
        SmartScopeDefault,
        SmartScopeNotWider,
        SmartTokenClientAuthentication,
        SmartTokenRedirectUri,
        SmartPkceVerifier,
        SmartPkcePlainRefused,
        SmartAudChecked,
        SmartIdTokenIat,
        SmartIdTokenAzp,
        SmartIdTokenNonce,
        SmartScopeEnforced,
        SmartAccessTokenExpiry,
        C4dicMustSupport,
        C4dicReferenceResolution,
        HarnessPreflight,
        FhirResponseTime,
        SmartTransportTls,
        C4dicCoverageSubscriber,
        SmartScopesV2,
        SmartRefreshToken,
        SmartRefreshNoStore,
        SmartRefreshNarrowerScope,
        SmartRefreshScopeNotWider,
        SmartRefreshInvalidGrant,
    ];

    private static readonly Dictionary<string, Requirement> ById = All.ToDictionary(r => r.Id, StringComparer.Ordinal);

    /// <summary>The entry with this id (from a tag or a policy entry), or null when the catalogue has none.</summary>
    public static Requirement? Find(string id) => ById.GetValueOrDefault(id);

    /// <summary>The profile rule of a C4DIC resource type.</summary>
    public static Requirement ProfileOf(string resourceType) => resourceType switch
    {
        "Patient" => C4dicPatientProfile,
        "Coverage" => C4dicCoverageProfile,
        "Organization" => C4dicOrganizationProfile,
        _ => throw new ArgumentOutOfRangeException(nameof(resourceType), resourceType, "C4DIC profiles Patient, Coverage and Organization only"),
    };

    /// <summary>The rule of one search the C4DIC CapabilityStatement marks SHALL.</summary>
    public static Requirement SearchBy(string resourceType, string parameter) => (resourceType, parameter) switch
    {
        ("Coverage", "beneficiary") => C4dicSearchCoverageBeneficiary,
        ("Coverage", "_id") => C4dicSearchCoverageId,
        ("Coverage", "identifier") => C4dicSearchCoverageIdentifier,
        ("Coverage", "_lastUpdated") => C4dicSearchCoverageLastUpdated,
        ("Coverage", "patient") => C4dicSearchCoveragePatient,
        ("Coverage", "period") => C4dicSearchCoveragePeriod,
        ("Coverage", "_profile") => C4dicSearchCoverageProfile,
        ("Coverage", "status") => C4dicSearchCoverageStatus,
        ("Coverage", "subscriber") => C4dicSearchCoverageSubscriber,
        ("Organization", "_id") => C4dicSearchOrganizationId,
        ("Patient", "_id") => C4dicSearchPatientId,
        ("Patient", "identifier") => C4dicSearchPatientIdentifier,
        ("Patient", "_lastUpdated") => C4dicSearchPatientLastUpdated,
        ("Patient", "name") => C4dicSearchPatientName,
        _ => throw new ArgumentOutOfRangeException(nameof(parameter), $"{resourceType}?{parameter}", "not a search the C4DIC CapabilityStatement marks SHALL"),
    };
}
