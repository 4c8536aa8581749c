using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace DigitalInsurance.Conformance.Support.Fhir;

/// <summary>
/// A FHIR API answer kept whole (status, headers, raw body) so checks can say exactly what was wrong with it,
/// including bodies that are not FHIR at all.
/// </summary>
public sealed class FhirResponse
{
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable));
    private readonly Lazy<(Resource? Resource, string? Problem)> _parsed;

    public FhirResponse(HttpMethod method, Uri requestUri, HttpStatusCode status, string? mediaType, IReadOnlyDictionary<string, string> headers, string body)
    {
        Method = method;
        RequestUri = requestUri;
        Status = status;
        MediaType = mediaType;
        Headers = headers;
        Body = body;
        _parsed = new Lazy<(Resource?, string?)>(Parse);
    }

    public HttpMethod Method { get; }
    public Uri RequestUri { get; }
    public HttpStatusCode Status { get; }
    public string? MediaType { get; }
    public IReadOnlyDictionary<string, string> Headers { get; }
    public string Body { get; }

    /// <summary>The body as a FHIR resource, or null when it is not one (see <see cref="ParseProblem"/>).</summary>
    public Resource? Resource => _parsed.Value.Resource;
    public string? ParseProblem => _parsed.Value.Problem;

    /// <summary>Status line and media type; for a 200 whose body is no FHIR resource, also why (else the reader sees "200 OK" and wonders).</summary>
    public string Describe() =>
        $"{Method} {RequestUri.PathAndQuery} answered {(int)Status} {Status}" + (MediaType is null ? "" : $" ({MediaType})")
        + (Status == HttpStatusCode.OK && ParseProblem is { } problem ? $"; {problem}" : "");

    private (Resource?, string?) Parse()
    {
        if (string.IsNullOrWhiteSpace(Body)) return (null, "the body is empty");
        try
        {
            return (Deserializer.DeserializeResource(Body), null);
        }
        catch (DeserializationFailedException e) when (e.PartialResult is Resource partial)
        {
            // Recoverable problems (e.g. an unknown code) are the validator's to report; keep the resource.
            return (partial, null);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or DeserializationFailedException or InvalidOperationException)
        {
            return (null, $"the body is not a FHIR JSON resource: {FirstLine(e.Message)}");
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
