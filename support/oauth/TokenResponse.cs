using System.Net;
using System.Text.Json;
using DigitalInsurance.Conformance.Support.Redaction;

namespace DigitalInsurance.Conformance.Support.OAuth;

/// <summary>
/// What the token endpoint answered, kept whole so "Then" steps can check status, caching headers and each field,
/// including fields that are present but of the wrong JSON type. Every token in it is registered as a secret.
/// </summary>
public sealed class TokenResponse
{
    private readonly JsonElement? _json;

    internal TokenResponse(HttpStatusCode statusCode, IReadOnlyDictionary<string, IReadOnlyList<string>> headers, string body)
    {
        StatusCode = statusCode;
        Headers = headers;
        Body = body;
        _json = TryParseObject(body);

        Secrets.Register(AccessToken, "access token");
        Secrets.Register(IdToken, "id token");
        Secrets.Register(RefreshToken, "refresh token");
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>Response and content headers, names compared case-insensitively.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; }

    /// <summary>The body as received (tokens in it are registered secrets, so evidence redacts them).</summary>
    public string Body { get; }

    public bool IsJsonObject => _json is not null;

    public string? CacheControl => Header("Cache-Control");
    public string? Pragma => Header("Pragma");
    public string? ContentType => Header("Content-Type");

    public string? AccessToken => String("access_token");
    public string? TokenType => String("token_type");
    /// <summary>Null when absent or not an integer; <see cref="FieldKind"/> tells which.</summary>
    public long? ExpiresIn => Field("expires_in") is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var seconds) ? seconds : null;
    public string? Scope => String("scope");
    public string? Patient => String("patient");
    public string? IdToken => String("id_token");
    public string? RefreshToken => String("refresh_token");
    public string? Error => String("error");
    public string? ErrorDescription => String("error_description");

    /// <summary>The JSON type of a top-level field; <see cref="JsonValueKind.Undefined"/> when the field (or a JSON body) is absent.</summary>
    public JsonValueKind FieldKind(string name) => Field(name)?.ValueKind ?? JsonValueKind.Undefined;

    public JsonElement? Field(string name) =>
        _json is { } json && json.TryGetProperty(name, out var value) ? value : null;

    /// <summary>A string field's value; null when absent or not a string.</summary>
    public string? String(string name) => Field(name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    public string? Header(string name) =>
        Headers.TryGetValue(name, out var values) && values.Count > 0 ? string.Join(", ", values) : null;

    private static JsonElement? TryParseObject(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static async Task<TokenResponse> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers) headers[name] = values.ToList();
        foreach (var (name, values) in response.Content.Headers) headers[name] = values.ToList();
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new TokenResponse(response.StatusCode, headers, body);
    }
}
