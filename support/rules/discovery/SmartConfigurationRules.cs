using System.Net;
using System.Text.Json;
using DigitalInsurance.Conformance.Support.Discovery;
using DigitalInsurance.Conformance.Support.Fhir;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>SMART discovery (SMART App Launch 2.x, "Conformance"): the configuration document, its endpoints, capabilities and PKCE methods.</summary>
public sealed class SmartConfigurationRules(Check check)
{
    private static readonly Requirement Rule = Requirements.SmartDiscovery;

    /// <summary>Fetches the SMART configuration and requires it served as a JSON object; returns the document.</summary>
    public async Task<SmartConfiguration> FetchAsync(FhirConversation fhir) => RequireDocument(await SmartConfiguration.FetchAsync(fhir));

    /// <summary>The body must be a JSON object; the label it is served with is <see cref="RequireServedAsApplicationJson"/>'s to judge.</summary>
    public SmartConfiguration RequireDocument(SmartConfigurationAnswer answer)
    {
        var response = answer.Response;
        check.That(response.Status == HttpStatusCode.OK, Rule,
            "GET [fhir base]/.well-known/smart-configuration must answer 200 OK.", response.Describe());
        var document = answer.Document;
        if (document is null)
        {
            check.That(false, Rule, "The SMART configuration must be valid JSON.", answer.JsonProblem);
            check.CannotContinue(Rule, "what the SMART configuration names, as it is not JSON");
        }
        if (!check.Holds(document.Kind == JsonValueKind.Object, Rule, "The SMART configuration must be a JSON object.", $"a JSON {document.Kind}"))
            check.CannotContinue(Rule, "what the SMART configuration names, as it is not a JSON object");
        return document;
    }

    public void RequireEndpoints(SmartConfiguration smart)
    {
        foreach (var name in new[] { "authorization_endpoint", "token_endpoint" })
            check.That(smart.Endpoint(name) is not null, Rule, $"The SMART configuration must name {name} as an absolute URL.",
                smart.String(name) is { } raw ? $"\"{raw}\"" : "absent");
    }

    public void RequireCapabilities(SmartConfiguration smart, IEnumerable<string> required)
    {
        var advertised = smart.Strings("capabilities");
        var missing = required.Where(c => !advertised.Contains(c)).ToList();
        check.That(missing.Count == 0, Rule, $"The SMART configuration's capabilities must include {string.Join(", ", missing)}.",
            $"capabilities [{string.Join(", ", advertised)}]");
    }

    /// <summary>
    /// Optional SMART capabilities a scenario may depend on, each with the requirement it verifies and why a payer that does
    /// not advertise it is not judged.
    /// </summary>
    private static readonly Dictionary<string, (Requirement Rule, string Why)> OptionalCapabilities = new(StringComparer.Ordinal)
    {
        ["sso-openid-connect"] = (Requirements.SmartIdToken,
            "SMART App Launch issues an id_token only from a server that supports its OpenID Connect profile (capability " +
            "sso-openid-connect), so there is no id_token to check"),
        ["permission-v2"] = (Requirements.SmartScopesV2,
            "SMART App Launch lists permission-v2 (\"support for SMARTv2 granular scope syntax\") among the capabilities a server may " +
            "support, and a SMART 1 server offers v1 scopes (patient/*.read) only, which the run then asks for"),
    };

    /// <summary>
    /// Ends the scenario as skipped when the SMART configuration does not advertise <paramref name="capability"/>: a payer
    /// may leave an optional capability out, and then there is nothing to verify.
    /// </summary>
    public static void SkipUnlessAdvertised(SmartConfiguration smart, string capability)
    {
        if (!OptionalCapabilities.TryGetValue(capability, out var optional))
            throw new ArgumentException($"'{capability}' is not an optional capability a scenario may depend on; known: {string.Join(", ", OptionalCapabilities.Keys)}.", nameof(capability));
        var advertised = smart.Strings("capabilities");
        if (!advertised.Contains(capability))
            NotApplicable.Skip(optional.Rule,
                $"the SMART configuration does not advertise {capability} (capabilities [{string.Join(", ", advertised)}]): {optional.Why}. Not demonstrated, not failed.");
    }

    /// <summary>SMART App Launch 2.x: servers support S256 and must not support plain.</summary>
    public void RequireChallengeMethods(SmartConfiguration smart, string included, string excluded)
    {
        var methods = smart.Strings("code_challenge_methods_supported");
        check.That(methods.Contains(included) && !methods.Contains(excluded), Requirements.SmartPkceS256,
            $"code_challenge_methods_supported must include {included} and must not include {excluded}.",
            $"[{string.Join(", ", methods)}]");
    }

    /// <summary>SMART App Launch 2.x: "servers SHALL respond with application/json" (application/fhir+json is not that).</summary>
    public void RequireServedAsApplicationJson(SmartConfiguration smart) =>
        check.That(string.Equals(smart.MediaType, "application/json", StringComparison.OrdinalIgnoreCase), Requirements.SmartConfigurationJson,
            "GET [fhir base]/.well-known/smart-configuration must be answered with Content-Type application/json.",
            $"Content-Type {smart.MediaType ?? "(none)"}");

    /// <summary>
    /// The metadata SMART App Launch 2.x calls REQUIRED beyond the endpoints (<see cref="RequireEndpoints"/>):
    /// grant_types_supported with <paramref name="grantType"/>, capabilities and code_challenge_methods_supported as
    /// arrays; issuer and jwks_uri as URLs when the capabilities include sso-openid-connect (CONDITIONAL).
    /// token_endpoint_auth_methods_supported is OPTIONAL in SMART 2.x and not asked for.
    /// </summary>
    public void RequireRequiredFields(SmartConfiguration smart, string grantType, string openIdCapability)
    {
        var missing = new List<string>();
        foreach (var name in new[] { "grant_types_supported", "capabilities", "code_challenge_methods_supported" })
            if (smart.KindOf(name) != JsonValueKind.Array)
                missing.Add(smart.KindOf(name) == JsonValueKind.Undefined ? $"{name} absent" : $"{name} is a JSON {smart.KindOf(name)}, not an array");
        if (smart.KindOf("grant_types_supported") == JsonValueKind.Array && !smart.Strings("grant_types_supported").Contains(grantType))
            missing.Add($"grant_types_supported [{string.Join(", ", smart.Strings("grant_types_supported"))}] without {grantType}");
        if (smart.Strings("capabilities").Contains(openIdCapability))
            foreach (var name in new[] { "issuer", "jwks_uri" })
                if (smart.Endpoint(name) is null)
                    missing.Add($"{name} {(smart.String(name) is { } raw ? $"\"{raw}\" is not an absolute URL" : "absent")} although {openIdCapability} is advertised");
        check.That(missing.Count == 0, Requirements.SmartConfigurationRequiredFields,
            $"The SMART configuration must carry every field SMART calls REQUIRED: grant_types_supported including {grantType}, capabilities, code_challenge_methods_supported, and issuer and jwks_uri when it advertises {openIdCapability}.",
            string.Join("; ", missing));
    }
}
