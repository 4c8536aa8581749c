using System.Text.Json;
using DigitalInsurance.Conformance.Support.Fhir;

namespace DigitalInsurance.Conformance.Support.Discovery;

/// <summary>The answer to the SMART configuration request: the document when the body is JSON, else why it is not.</summary>
public sealed record SmartConfigurationAnswer(FhirResponse Response, SmartConfiguration? Document, string? JsonProblem);

/// <summary>The payer's /.well-known/smart-configuration (SMART App Launch 2.x, "Conformance"), read below the FHIR base URL.</summary>
public sealed class SmartConfiguration
{
    private readonly JsonElement _root;

    private SmartConfiguration(JsonElement root, string? mediaType)
    {
        _root = root;
        MediaType = mediaType;
    }

    /// <summary>The media type the document was served as (Content-Type without parameters), or null when none was named.</summary>
    public string? MediaType { get; }

    /// <summary>GETs [fhir base]/.well-known/smart-configuration; the answer is for the rules to judge (SmartConfigurationRules).</summary>
    public static async Task<SmartConfigurationAnswer> FetchAsync(FhirConversation fhir)
    {
        var response = await fhir.GetAsync(".well-known/smart-configuration");
        try
        {
            using var document = JsonDocument.Parse(response.Body);
            return new SmartConfigurationAnswer(response, new SmartConfiguration(document.RootElement.Clone(), response.MediaType), null);
        }
        catch (JsonException e)
        {
            return new SmartConfigurationAnswer(response, null, e.Message);
        }
    }

    /// <summary>What the document is at its root: a SMART configuration is an Object.</summary>
    public JsonValueKind Kind => _root.ValueKind;

    /// <summary>What the member <paramref name="name"/> is (Undefined when the document has no such member).</summary>
    public JsonValueKind KindOf(string name) =>
        _root.ValueKind == JsonValueKind.Object && _root.TryGetProperty(name, out var value) ? value.ValueKind : JsonValueKind.Undefined;

    public string? String(string name) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public IReadOnlyList<string> Strings(string name) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];

    public Uri? Endpoint(string name) => Uri.TryCreate(String(name), UriKind.Absolute, out var uri) ? uri : null;
}
