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

    public SmartConfiguration RequireDocument(SmartConfigurationAnswer answer)
    {
        var response = answer.Response;
        check.That(response.Status == HttpStatusCode.OK, Rule,
            "GET [fhir base]/.well-known/smart-configuration must answer 200 OK.", response.Describe());
        check.That(response.MediaType is "application/json" or "application/fhir+json", Rule,
            "The SMART configuration must be served as application/json.", $"Content-Type {response.MediaType ?? "(none)"}");
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

    /// <summary>SMART App Launch 2.x: servers support S256 and must not support plain.</summary>
    public void RequireChallengeMethods(SmartConfiguration smart, string included, string excluded)
    {
        var methods = smart.Strings("code_challenge_methods_supported");
        check.That(methods.Contains(included) && !methods.Contains(excluded), Requirements.SmartPkceS256,
            $"code_challenge_methods_supported must include {included} and must not include {excluded}.",
            $"[{string.Join(", ", methods)}]");
    }
}
