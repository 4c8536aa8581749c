using System.Net.Http.Headers;
using System.Text;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Redaction;

namespace DigitalInsurance.Conformance.Support.OAuth;

/// <summary>
/// Talks to the token endpoint as a confidential client. The <see cref="HttpClient"/> comes from the caller so the
/// exchange can be recorded as evidence on the way.
/// </summary>
public sealed class TokenClient
{
    private readonly HttpClient _http;
    private readonly string? _clientSecret;

    public TokenClient(HttpClient http, Uri tokenEndpoint, string clientId, string? clientSecret, TokenAuthMethod authMethod)
    {
        _http = http;
        TokenEndpoint = tokenEndpoint;
        ClientId = clientId;
        _clientSecret = clientSecret;
        AuthMethod = authMethod;
        Secrets.Register(clientSecret, "client secret");
    }

    public Uri TokenEndpoint { get; }
    public string ClientId { get; }
    public TokenAuthMethod AuthMethod { get; }

    /// <summary>The ordinary authorization-code exchange (RFC 6749 section 4.1.3), with the PKCE verifier when one was used.</summary>
    public Task<TokenResponse> ExchangeCodeAsync(string code, Uri redirectUri, string? codeVerifier, CancellationToken cancellationToken = default)
    {
        Secrets.Register(code, "authorization code");
        Secrets.Register(codeVerifier, "PKCE code verifier");
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", redirectUri.OriginalString),
        };
        if (codeVerifier is not null) form.Add(new("code_verifier", codeVerifier));
        return SendTokenRequestAsync(form, AuthMethod, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// A refresh request (RFC 6749 section 6): the refresh token, and <paramref name="scope"/> when given (null: none, so
    /// the scope originally granted).
    /// </summary>
    public Task<TokenResponse> RefreshAsync(string refreshToken, string? scope, CancellationToken cancellationToken = default)
    {
        Secrets.Register(refreshToken, "refresh token");
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
        };
        if (scope is not null) form.Add(new("scope", scope));
        return SendTokenRequestAsync(form, AuthMethod, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Any token request, for negative scenarios (wrong secret, reused code, other redirect_uri). The form is sent as
    /// given plus client authentication: client_id and client_secret in the form (post) or an Authorization header (basic).
    /// </summary>
    /// <param name="overrideSecret">Null: the configured secret. Empty: no secret at all (client_id only).</param>
    public async Task<TokenResponse> SendTokenRequestAsync(
        IEnumerable<KeyValuePair<string, string>> form,
        TokenAuthMethod authMethod,
        string? overrideSecret = null,
        CancellationToken cancellationToken = default)
    {
        Secrets.Register(overrideSecret, "client secret");
        var secret = overrideSecret ?? _clientSecret;
        var fields = form.ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoint);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var hasSecret = !string.IsNullOrEmpty(secret);
        if (authMethod == TokenAuthMethod.ClientSecretBasic && hasSecret)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicCredentials(ClientId, secret!));
        }
        else
        {
            if (!fields.Any(f => f.Key == "client_id")) fields.Add(new("client_id", ClientId));
            if (hasSecret && !fields.Any(f => f.Key == "client_secret")) fields.Add(new("client_secret", secret!));
        }
        request.Content = new FormUrlEncodedContent(fields);

        using var response = await _http.SendAsync(request, cancellationToken);
        return await TokenResponse.ReadAsync(response, cancellationToken);
    }

    /// <summary>RFC 6749 section 2.3.1: id and secret are form-urlencoded before being joined and base64-encoded.</summary>
    internal static string BasicCredentials(string clientId, string secret)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FormEncode(clientId)}:{FormEncode(secret)}"));
        Secrets.Register(encoded, "client credentials");
        return encoded;
    }

    private static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+");
}
