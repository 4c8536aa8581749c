using System.Text.RegularExpressions;

namespace DigitalInsurance.Conformance.Support.Redaction;

/// <summary>
/// Credentials recognised by their shape, for secrets nobody registered (a token from a response not parsed yet, a
/// header copied into an error message). Each pattern leaves the surrounding text readable and skips text that is
/// already a redaction label, so redacting twice changes nothing.
/// </summary>
internal static partial class RedactionPatterns
{
    private const string NotYetRedacted = @"(?!\[redacted)";

    // Parameters whose value is a credential wherever they appear: query strings, form bodies, fragments.
    private const string CredentialParameters =
        "code|access_token|refresh_token|id_token|client_secret|code_verifier|client_assertion|password|verification_code|token";

    // JSON fields whose value is a credential. "code" is left out on purpose: every FHIR Coding has one.
    private const string CredentialJsonFields =
        "access_token|refresh_token|id_token|client_secret|code_verifier|client_assertion|password|verification_code|authorization_code";

    [GeneratedRegex(@"(?<head>\b(?:Proxy-)?Authorization""?\s*[:=]\s*""?\s*)(?<scheme>Bearer|Basic|Digest|DPoP|Negotiate)\s+" + NotYetRedacted + @"(?<value>[^\s"",;]+)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationHeader();

    // A bearer token outside a header ("sent Bearer abc…"): at least 16 characters with a digit or punctuation, so prose
    // such as "Bearer token missing" stays as written.
    [GeneratedRegex(@"\bBearer\s+" + NotYetRedacted + @"(?=[A-Za-z0-9\-._~+/]*[0-9\-._~+/])[A-Za-z0-9\-._~+/]{16,}=*",
        RegexOptions.CultureInvariant)]
    private static partial Regex LooseBearer();

    // Encrypted JWT (five parts) before signed JWT (three parts), both starting with a base64url JSON header "eyJ".
    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", RegexOptions.CultureInvariant)]
    private static partial Regex Jwe();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?<head>(?:^|[?&#;\s""'(])(?:" + CredentialParameters + @")=)" + NotYetRedacted + @"(?<value>[^&#\s""'<>]+)",
        RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialParameter();

    [GeneratedRegex(@"(?<head>""(?:" + CredentialJsonFields + @")""\s*:\s*"")" + NotYetRedacted + @"(?<value>(?:[^""\\]|\\.)+)(?="")",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialJsonField();

    public static string Apply(string text)
    {
        if (text.Length == 0) return text;
        text = Replace(text, AuthorizationHeader(), m => $"{m.Groups["head"].Value}{m.Groups["scheme"].Value} {Secrets.Label("credentials")}");
        text = Replace(text, CredentialJsonField(), m => m.Groups["head"].Value + Secrets.Label(FieldKind(m.Groups["head"].Value)));
        text = Replace(text, CredentialParameter(), m => m.Groups["head"].Value + Secrets.Label(FieldKind(m.Groups["head"].Value)));
        text = Replace(text, Jwe(), _ => Secrets.Label("encrypted JWT"));
        text = Replace(text, Jwt(), _ => Secrets.Label("JWT"));
        text = Replace(text, LooseBearer(), _ => "Bearer " + Secrets.Label("token"));
        return text;
    }

    private static string Replace(string text, Regex pattern, MatchEvaluator evaluator) =>
        pattern.IsMatch(text) ? pattern.Replace(text, evaluator) : text;

    /// <summary>"access_token" → "access token", for a label that says what was hidden.</summary>
    private static string FieldKind(string head)
    {
        var name = head.Trim().TrimStart('?', '&', '#', ';', '"', '\'', '(').Split('=', '"')[0];
        return name.Replace('_', ' ').ToLowerInvariant();
    }
}
