using System.Security.Cryptography;
using System.Text;

namespace DigitalInsurance.Conformance.Support.OAuth;

/// <summary>
/// A SMART standalone-launch authorization request (authorization code grant). <see cref="ToUri"/> gives the URL the
/// member's browser opens. <see cref="Overrides"/> lets negative scenarios replace or drop any parameter.
/// </summary>
public sealed record AuthorizationRequest
{
    public required Uri AuthorizeEndpoint { get; init; }
    public required string ClientId { get; init; }
    public required Uri RedirectUri { get; init; }
    public required string Scope { get; init; }
    public required string State { get; init; }

    /// <summary>The FHIR base URL the token is meant for; SMART App Launch requires it as <c>aud</c>.</summary>
    public required string Audience { get; init; }

    /// <summary>S256 challenge from <see cref="Pkce"/>; null sends no PKCE parameters.</summary>
    public string? CodeChallenge { get; init; }

    /// <summary>OpenID Connect's nonce, sent when the request asks for openid; the id_token must echo it. Null sends none.</summary>
    public string? Nonce { get; init; }

    public string ResponseType { get; init; } = "code";

    /// <summary>Applied last: a value replaces (or adds) the parameter, null removes it.</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>{authBase}/{authorizePath}, whether or not the base ends with a slash.</summary>
    public static Uri Endpoint(Uri authBase, string authorizePath)
    {
        var baseText = authBase.AbsoluteUri.EndsWith('/') ? authBase.AbsoluteUri : authBase.AbsoluteUri + "/";
        return new Uri(new Uri(baseText), authorizePath.TrimStart('/'));
    }

    /// <summary>An unguessable state value (128 bits, base64url).</summary>
    public static string NewState() => Base64Url.Encode(RandomNumberGenerator.GetBytes(16));

    public const string LaunchPatient = "launch/patient";

    /// <summary><paramref name="scope"/> with <paramref name="extra"/> added at the front, unless it is already there.</summary>
    public static string WithScope(string scope, string extra)
    {
        var scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return scopes.Contains(extra, StringComparer.Ordinal) ? scope : string.Join(' ', scopes.Prepend(extra));
    }

    /// <summary>A nonce for a request that asks for <c>openid</c> (OpenID Connect Core 3.1.2.1), else null.</summary>
    public static string? NonceFor(string scope) =>
        scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("openid", StringComparer.Ordinal)
            ? Base64Url.Encode(RandomNumberGenerator.GetBytes(16))
            : null;

    public IReadOnlyList<KeyValuePair<string, string>> Parameters()
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("response_type", ResponseType),
            new("client_id", ClientId),
            new("redirect_uri", RedirectUri.OriginalString),
            new("scope", Scope),
            new("state", State),
            new("aud", Audience),
        };
        if (Nonce is not null) parameters.Add(new("nonce", Nonce));
        if (CodeChallenge is not null)
        {
            parameters.Add(new("code_challenge", CodeChallenge));
            parameters.Add(new("code_challenge_method", Pkce.ChallengeMethod));
        }
        foreach (var (name, value) in Overrides)
        {
            var index = parameters.FindIndex(p => p.Key == name);
            if (index >= 0) parameters.RemoveAt(index);
            if (value is not null) parameters.Insert(index >= 0 ? index : parameters.Count, new(name, value));
        }
        return parameters;
    }

    public Uri ToUri()
    {
        var query = new StringBuilder(AuthorizeEndpoint.Query.TrimStart('?'));
        foreach (var (name, value) in Parameters())
        {
            if (query.Length > 0) query.Append('&');
            query.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return new UriBuilder(AuthorizeEndpoint) { Query = query.ToString() }.Uri;
    }
}
