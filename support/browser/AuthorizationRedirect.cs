using DigitalInsurance.Conformance.Support.Redaction;

namespace DigitalInsurance.Conformance.Support.Browser;

/// <summary>The authorization server's redirect to the client's redirect_uri, as the browser was sent it.</summary>
public sealed record AuthorizationRedirect
{
    private AuthorizationRedirect(Uri target, IReadOnlyDictionary<string, string> parameters, string redactedUri)
    {
        Target = target;
        Parameters = parameters;
        RedactedUri = redactedUri;
    }

    /// <summary>The redirect_uri the server sent the browser to, without query or fragment.</summary>
    public Uri Target { get; }

    /// <summary>Query parameters of the redirect, decoded (the code is a registered secret).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>The full redirect URL with the code replaced, safe for reports.</summary>
    public string RedactedUri { get; }

    public string? Code => Parameter("code");
    public string? State => Parameter("state");
    public string? Error => Parameter("error");
    public string? ErrorDescription => Parameter("error_description");
    /// <summary>RFC 9207 issuer identification, when the server sends it.</summary>
    public string? Issuer => Parameter("iss");

    public string? Parameter(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    internal static AuthorizationRedirect Parse(Uri url)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = pair.IndexOf('=');
            var rawName = separator < 0 ? pair : pair[..separator];
            var rawValue = separator < 0 ? "" : pair[(separator + 1)..];
            var value = Decode(rawValue);
            if (Decode(rawName) == "code")
            {
                Secrets.Register(value, "authorization code");
                Secrets.Register(rawValue, "authorization code");
            }
            parameters.TryAdd(Decode(rawName), value);
        }
        var target = new Uri(url.GetLeftPart(UriPartial.Path));
        return new AuthorizationRedirect(target, parameters, Secrets.Redact(url.AbsoluteUri));
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
