using System.Net;
using System.Text;

namespace DigitalInsurance.Conformance.Support.Http;

/// <summary>
/// One HTTP request and its answer (or the error that prevented one), exactly as sent and received, for steps that
/// judge "the last response". Raw: headers and bodies may hold secrets, so never write them out directly — use
/// <see cref="Describe"/> or <see cref="Title"/>, which are redacted (as is <see cref="ToString"/>).
/// </summary>
public sealed record RecordedExchange
{
    public required HttpMethod Method { get; init; }
    public required Uri RequestUri { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> RequestHeaders { get; init; }
    public string? RequestContentType { get; init; }
    public byte[]? RequestBody { get; init; }

    /// <summary>Null when no response arrived (see <see cref="Error"/>).</summary>
    public HttpStatusCode? Status { get; init; }
    public string? ReasonPhrase { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders { get; init; } = [];
    public string? ResponseContentType { get; init; }
    public byte[]? ResponseBody { get; init; }

    /// <summary>Why no response arrived: "HttpRequestException: Connection refused (127.0.0.1:5001)".</summary>
    public string? Error { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required TimeSpan Duration { get; init; }

    public string? RequestBodyText => RequestBody is null ? null : Encoding.UTF8.GetString(RequestBody);
    public string? ResponseBodyText => ResponseBody is null ? null : Encoding.UTF8.GetString(ResponseBody);

    /// <summary>First value of a response header (content headers included), case-insensitive.</summary>
    public string? ResponseHeader(string name) =>
        ResponseHeaders.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>"GET /r4/Coverage?patient=123 → 200", redacted; the evidence attachment's title.</summary>
    public string Title => ExchangeFormatter.Title(this);

    /// <summary>Method, URL, status, headers and bodies (JSON indented, forms one field a line), redacted.</summary>
    public string Describe() => ExchangeFormatter.Describe(this);

    public override string ToString() => Title;
}
