using System.Net;
using System.Text.Json;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Fhir;

namespace DigitalInsurance.Conformance.Support.Discovery;

/// <summary>The payer's /.well-known/smart-configuration (SMART App Launch 2.x, "Conformance"), read below the FHIR base URL.</summary>
public sealed class SmartConfiguration
{
    private static readonly Requirement Rule = Requirements.SmartDiscovery;
    private readonly JsonElement _root;

    private SmartConfiguration(JsonElement root) => _root = root;

    public static async Task<SmartConfiguration> FetchAsync(FhirConversation fhir)
    {
        var response = await fhir.GetAsync(".well-known/smart-configuration");
        Check.That(response.Status == HttpStatusCode.OK, Rule,
            "GET [fhir base]/.well-known/smart-configuration must answer 200 OK.", response.Describe());
        Check.That(response.MediaType is "application/json" or "application/fhir+json", Rule,
            "The SMART configuration must be served as application/json.", $"Content-Type {response.MediaType ?? "(none)"}");
        try
        {
            using var document = JsonDocument.Parse(response.Body);
            if (!Check.Holds(document.RootElement.ValueKind == JsonValueKind.Object, Rule, "The SMART configuration must be a JSON object.",
                    $"a JSON {document.RootElement.ValueKind}"))
                Check.CannotContinue(Rule, "what the SMART configuration names, as it is not a JSON object");
            return new SmartConfiguration(document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            Check.That(false, Rule, "The SMART configuration must be valid JSON.", e.Message);
            Check.CannotContinue(Rule, "what the SMART configuration names, as it is not JSON");
            throw; // not reached: CannotContinue throws
        }
    }

    public string? String(string name) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public IReadOnlyList<string> Strings(string name) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];

    public Uri? Endpoint(string name) => Uri.TryCreate(String(name), UriKind.Absolute, out var uri) ? uri : null;

    public void RequireEndpoints()
    {
        foreach (var name in new[] { "authorization_endpoint", "token_endpoint" })
            Check.That(Endpoint(name) is not null, Rule, $"The SMART configuration must name {name} as an absolute URL.",
                String(name) is { } raw ? $"\"{raw}\"" : "absent");
    }

    public void RequireCapabilities(IEnumerable<string> required)
    {
        var advertised = Strings("capabilities");
        var missing = required.Where(c => !advertised.Contains(c)).ToList();
        Check.That(missing.Count == 0, Rule, $"The SMART configuration's capabilities must include {string.Join(", ", missing)}.",
            $"capabilities [{string.Join(", ", advertised)}]");
    }

    /// <summary>SMART App Launch 2.x: servers support S256 and must not support plain.</summary>
    public void RequireChallengeMethods(string included, string excluded)
    {
        var methods = Strings("code_challenge_methods_supported");
        Check.That(methods.Contains(included) && !methods.Contains(excluded), Requirements.SmartPkceS256,
            $"code_challenge_methods_supported must include {included} and must not include {excluded}.",
            $"[{string.Join(", ", methods)}]");
    }
}
