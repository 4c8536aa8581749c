using System.Text.Json;
using System.Text.RegularExpressions;
using DigitalInsurance.Conformance.Support.Fhir;

namespace DigitalInsurance.Conformance.Support.OAuth;

/// <summary>
/// The id_token's fhirUser claim as a FHIR reference the app can read. SMART App Launch: the claim is "the URL of a
/// FHIR resource representing the current user", absolute or relative to the FHIR base URL of the authorization
/// request, and "a resource of type Patient, Practitioner, RelatedPerson, or Person".
/// </summary>
public sealed partial record FhirUserReference(string ResourceType, string Id)
{
    public static readonly IReadOnlyList<string> AllowedTypes = ["Patient", "Practitioner", "RelatedPerson", "Person"];

    /// <summary>"Type/id", relative to the FHIR base.</summary>
    public string Relative => $"{ResourceType}/{Id}";

    /// <summary>The reference, or why the claim is not one this FHIR server can resolve.</summary>
    public static (FhirUserReference? Reference, string? Problem) Resolve(JsonElement? claim, Uri fhirBaseUrl)
    {
        if (claim is not { ValueKind: JsonValueKind.String } text || string.IsNullOrWhiteSpace(text.GetString()))
            return (null, claim is null ? "the id_token has no fhirUser claim" : $"fhirUser is a JSON {claim.Value.ValueKind}, not a URL string");
        var value = text.GetString()!.Trim();

        string relative;
        if (Uri.TryCreate(value, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            // RFC 3986 6.2.2: scheme and host compared ignoring case, the path exactly.
            var baseUrl = new Uri(fhirBaseUrl.AbsoluteUri.TrimEnd('/') + "/");
            if (!FhirReference.IsUnder(absolute, baseUrl))
                return (null, $"fhirUser '{value}' is not below the FHIR base URL {baseUrl.AbsoluteUri} the app was authorized for");
            relative = absolute.AbsolutePath[baseUrl.AbsolutePath.Length..];
        }
        else
        {
            relative = value.TrimStart('/');
        }

        var match = TypeAndId().Match(relative);
        if (!match.Success)
            return (null, $"fhirUser '{value}' does not name a resource as [base]/Type/id");
        var type = match.Groups["type"].Value;
        if (!AllowedTypes.Contains(type))
            return (null, $"fhirUser names a {type}; SMART allows {string.Join(", ", AllowedTypes)}");
        return (new FhirUserReference(type, match.Groups["id"].Value), null);
    }

    // FHIR ids: up to 64 of A-Z a-z 0-9 - . ; an optional _history/version is the same resource.
    [GeneratedRegex(@"^(?<type>[A-Z][A-Za-z]+)/(?<id>[A-Za-z0-9\-\.]{1,64})(/_history/[A-Za-z0-9\-\.]{1,64})?$")]
    private static partial Regex TypeAndId();
}
