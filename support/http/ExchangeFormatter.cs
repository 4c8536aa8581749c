using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DigitalInsurance.Conformance.Support.Redaction;

namespace DigitalInsurance.Conformance.Support.Http;

/// <summary>Turns an exchange into the redacted text a QA engineer reads in the report.</summary>
internal static class ExchangeFormatter
{
    /// <summary>Bodies beyond this many bytes are cut in the evidence (the recorded exchange keeps them whole).</summary>
    public const int MaxShownBodyBytes = 1024 * 1024;

    private const int MaxTitleTargetLength = 100;

    private static readonly HashSet<string> CredentialHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "Api-Key", "X-Auth-Token",
    };

    // Form fields whose value is a credential, hidden by name whatever the value looks like.
    private static readonly HashSet<string> CredentialFormFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "code", "client_secret", "code_verifier", "refresh_token", "access_token", "id_token", "client_assertion",
        "password", "verification_code", "assertion", "token",
    };

    private static readonly JsonWriterOptions IndentedJson = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Title(RecordedExchange exchange)
    {
        var target = exchange.RequestUri.PathAndQuery;
        if (target.Length > MaxTitleTargetLength) target = target[..MaxTitleTargetLength] + "…";
        var outcome = exchange.Status is { } status
            ? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "no response";
        return Secrets.Redact($"{exchange.Method.Method} {target} → {outcome}");
    }

    public static string Describe(RecordedExchange exchange)
    {
        var text = new StringBuilder();
        text.Append(exchange.Method.Method).Append(' ').Append(exchange.RequestUri.AbsoluteUri).Append('\n');
        if (exchange.Status is { } status)
            text.Append("→ ").Append((int)status).Append(' ').Append(exchange.ReasonPhrase ?? status.ToString());
        else
            text.Append("→ no response: ").Append(exchange.Error);
        text.Append("  (").Append(Math.Round(exchange.Duration.TotalMilliseconds)).Append(" ms)\n");

        AppendHeaders(text, "Request headers", exchange.RequestHeaders);
        AppendBody(text, "Request body", exchange.RequestContentType, exchange.RequestBody);
        if (exchange.Status is not null)
        {
            AppendHeaders(text, "Response headers", exchange.ResponseHeaders);
            AppendBody(text, "Response body", exchange.ResponseContentType, exchange.ResponseBody);
        }
        return Secrets.Redact(text.ToString());
    }

    private static void AppendHeaders(StringBuilder text, string heading, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        text.Append('\n').Append(heading).Append('\n');
        if (headers.Count == 0) text.Append("  (none)\n");
        foreach (var (name, value) in headers)
            text.Append("  ").Append(name).Append(": ").Append(CredentialHeaders.Contains(name) ? HiddenHeaderValue(value) : value).Append('\n');
    }

    /// <summary>Keeps the scheme ("Bearer", "Basic") so a reader sees which kind of credential was sent.</summary>
    private static string HiddenHeaderValue(string value)
    {
        var space = value.IndexOf(' ');
        var scheme = space > 0 ? value[..space] : "";
        return scheme is "Bearer" or "Basic" or "DPoP" or "Digest" ? $"{scheme} {Secrets.Label("credentials")}" : Secrets.Label("credentials");
    }

    private static void AppendBody(StringBuilder text, string heading, string? contentType, byte[]? body)
    {
        if (body is null || body.Length == 0)
        {
            text.Append('\n').Append(heading).Append(": (empty)\n");
            return;
        }
        text.Append('\n').Append(heading).Append(" (").Append(contentType ?? "no content type").Append(", ")
            .Append(body.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" bytes)\n");

        var shown = body.Length > MaxShownBodyBytes ? body.AsSpan(0, MaxShownBodyBytes).ToArray() : body;
        var truncated = shown.Length < body.Length;
        if (LooksBinary(contentType, shown))
        {
            text.Append("(binary content, not shown)\n");
            return;
        }
        var raw = Encoding.UTF8.GetString(shown);
        if (IsForm(contentType)) text.Append(FormatForm(raw));
        else if (!truncated && IsJson(contentType, raw) && TryIndentJson(shown, out var indented)) text.Append(indented);
        else
        {
            if (IsJson(contentType, raw) && !truncated) text.Append("(not valid JSON; shown as received)\n");
            text.Append(raw);
        }
        if (!text.ToString().EndsWith('\n')) text.Append('\n');
        if (truncated)
            text.Append("… truncated: first ").Append(MaxShownBodyBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))
                .Append(" of ").Append(body.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" bytes shown\n");
    }

    private static bool IsForm(string? contentType) =>
        contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsJson(string? contentType, string raw)
    {
        if (contentType is not null)
        {
            var mediaType = contentType.Split(';')[0].Trim();
            if (mediaType.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
                return true;
            if (!mediaType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)) return false;
        }
        var start = raw.TrimStart();
        return start.StartsWith('{') || start.StartsWith('[');
    }

    private static bool LooksBinary(string? contentType, byte[] body)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        if (mediaType.StartsWith("image/") || mediaType.StartsWith("audio/") || mediaType.StartsWith("video/")
            || mediaType is "application/octet-stream" or "application/pdf" or "application/zip")
            return true;
        return Array.IndexOf(body, (byte)0, 0, Math.Min(body.Length, 8192)) >= 0;
    }

    private static bool TryIndentJson(byte[] body, out string indented)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, IndentedJson)) document.WriteTo(writer);
            indented = Encoding.UTF8.GetString(buffer.ToArray());
            return true;
        }
        catch (JsonException)
        {
            indented = "";
            return false;
        }
    }

    /// <summary>One field a line, decoded, credentials hidden by field name.</summary>
    private static string FormatForm(string raw)
    {
        var lines = new StringBuilder();
        foreach (var pair in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : WebUtility.UrlDecode(pair[(equals + 1)..]);
            lines.Append("  ").Append(name).Append(" = ")
                .Append(CredentialFormFields.Contains(name) && value.Length > 0 ? Secrets.Label(name.Replace('_', ' ')) : value).Append('\n');
        }
        return lines.ToString();
    }
}
