using System.Text.Json;
using DigitalInsurance.Conformance.Support.Redaction;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DigitalInsurance.Conformance.Support.OAuth;

public sealed record IdTokenCheck(string Name, bool Passed, string Detail);

/// <summary>Each check made on an id_token, plus its decoded header and claims (never the token itself).</summary>
public sealed record IdTokenVerification(IReadOnlyList<IdTokenCheck> Checks, IReadOnlyDictionary<string, JsonElement> Header, IReadOnlyDictionary<string, JsonElement> Claims)
{
    public bool AllPassed => Checks.Count > 0 && Checks.All(c => c.Passed);
    public IdTokenCheck Check(string name) =>
        Checks.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"No id_token check named '{name}'; checks made: {string.Join(", ", Checks.Select(c => c.Name))}.");
}

/// <summary>
/// Verifies an OpenID Connect id_token against the issuer's published keys: discovery document (whose issuer must be the
/// one it was fetched for) → jwks_uri → keys, then RS256 signature, iss (the expected issuer, and the discovery
/// document's), aud = client_id, exp in the future and sub present. Signature checking is
/// Microsoft.IdentityModel's; this class only lists the outcome check by check.
/// </summary>
public sealed class IdTokenVerifier(HttpClient http, TimeProvider? clock = null)
{
    public const string Discovery = "discovery document";
    public const string DiscoveryIssuer = "discovery issuer";
    public const string Keys = "signing keys";
    public const string Decoding = "decodes as a JWT";
    public const string Algorithm = "alg is RS256";
    public const string Signature = "signature";
    public const string IssuerCheck = "iss";
    public const string AudienceCheck = "aud";
    public const string ExpiryCheck = "exp";
    public const string SubjectCheck = "sub";

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <param name="expectedIssuer">The issuer the app was told of (SMART: the SMART configuration's issuer); its OpenID configuration is read.</param>
    public async Task<IdTokenVerification> VerifyAsync(string idToken, string expectedIssuer, string clientId, CancellationToken cancellationToken = default)
    {
        Secrets.Register(idToken, "id token");
        var checks = new List<IdTokenCheck>();
        var empty = new Dictionary<string, JsonElement>();

        var handler = new JsonWebTokenHandler();
        JsonWebToken token;
        try
        {
            token = handler.ReadJsonWebToken(idToken);
            checks.Add(new(Decoding, true, "header and payload decode"));
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            checks.Add(new(Decoding, false, "the id_token is not a well-formed JWS compact serialization"));
            return new IdTokenVerification(checks, empty, empty);
        }
        var header = Decode(token.EncodedHeader);
        var claims = Decode(token.EncodedPayload);

        var (keys, discoveredIssuer) = await FetchSigningKeysAsync(expectedIssuer, checks, cancellationToken);

        checks.Add(token.Alg == SecurityAlgorithms.RsaSha256
            ? new(Algorithm, true, "RS256")
            : new(Algorithm, false, $"alg is '{token.Alg}'"));

        if (keys is null)
        {
            checks.Add(new(Signature, false, "not checked: the issuer's signing keys could not be loaded"));
        }
        else
        {
            var result = await handler.ValidateTokenAsync(idToken, new TokenValidationParameters
            {
                IssuerSigningKeys = keys,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                ValidateIssuer = false,
                ValidateAudience = false,
                ValidateLifetime = false,
                RequireExpirationTime = false,
                ValidateIssuerSigningKey = true,
            });
            checks.Add(result.IsValid
                ? new(Signature, true, $"verified with key '{(result.SecurityToken as JsonWebToken)?.Kid ?? token.Kid ?? "(no kid)"}'")
                : new(Signature, false, SignatureFailure(result.Exception, token)));
        }

        // OpenID Connect Core 3.1.3.7: iss is the issuer obtained during discovery; here that is also the one the app was told of.
        var issuer = token.TryGetPayloadValue<string>("iss", out var iss) ? iss : null;
        var expected = new List<string> { $"'{expectedIssuer}'" };
        if (discoveredIssuer is not null && !SameIssuer(discoveredIssuer, expectedIssuer)) expected.Add($"the OpenID configuration's '{discoveredIssuer}'");
        checks.Add(issuer is not null && SameIssuer(issuer, expectedIssuer) && (discoveredIssuer is null || SameIssuer(issuer, discoveredIssuer))
            ? new(IssuerCheck, true, issuer)
            : new(IssuerCheck, false, issuer is null ? "no iss claim" : $"iss is '{issuer}', expected {string.Join(" and ", expected)}"));

        var audiences = token.Audiences.ToList();
        checks.Add(audiences.Contains(clientId, StringComparer.Ordinal)
            ? new(AudienceCheck, true, $"contains the client id '{clientId}'")
            : new(AudienceCheck, false, audiences.Count == 0 ? "no aud claim" : $"aud is [{string.Join(", ", audiences)}], expected the client id '{clientId}'"));

        if (!token.TryGetPayloadValue<long>("exp", out var exp))
        {
            checks.Add(new(ExpiryCheck, false, "no numeric exp claim"));
        }
        else
        {
            var expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
            checks.Add(expiresAt > _clock.GetUtcNow()
                ? new(ExpiryCheck, true, $"expires {expiresAt:u}")
                : new(ExpiryCheck, false, $"expired {expiresAt:u}"));
        }

        checks.Add(token.TryGetPayloadValue<string>("sub", out var sub) && !string.IsNullOrWhiteSpace(sub)
            ? new(SubjectCheck, true, "present")
            : new(SubjectCheck, false, "no sub claim"));

        return new IdTokenVerification(checks, header, claims);
    }

    /// <returns>The signing keys (null when they could not be loaded) and the issuer the discovery document names.</returns>
    private async Task<(IList<SecurityKey>? Keys, string? DiscoveredIssuer)> FetchSigningKeysAsync(string issuer, List<IdTokenCheck> checks, CancellationToken cancellationToken)
    {
        var discoveryUri = new Uri(issuer.TrimEnd('/') + "/.well-known/openid-configuration");
        string? jwksUri;
        string? discoveredIssuer;
        try
        {
            using var discovery = JsonDocument.Parse(await http.GetStringAsync(discoveryUri, cancellationToken));
            var root = discovery.RootElement;
            discoveredIssuer = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("issuer", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            // OpenID Connect Discovery 1.0 section 4.3: the issuer returned must be identical to the one the document was fetched for.
            checks.Add(discoveredIssuer is not null && SameIssuer(discoveredIssuer, issuer)
                ? new(DiscoveryIssuer, true, $"{discoveryUri} names issuer {discoveredIssuer}")
                : new(DiscoveryIssuer, false, discoveredIssuer is null
                    ? $"{discoveryUri} names no issuer"
                    : $"{discoveryUri} names issuer '{discoveredIssuer}', not '{issuer}', the issuer it was fetched for"));
            jwksUri = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("jwks_uri", out var j) && j.ValueKind == JsonValueKind.String ? j.GetString() : null;
            if (jwksUri is null)
            {
                checks.Add(new(Discovery, false, $"{discoveryUri} has no jwks_uri"));
                return (null, discoveredIssuer);
            }
            checks.Add(new(Discovery, true, $"{discoveryUri} → jwks_uri {jwksUri}"));
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            checks.Add(new(Discovery, false, $"could not read {discoveryUri}: {e.Message}"));
            return (null, null);
        }

        try
        {
            var keys = new JsonWebKeySet(await http.GetStringAsync(new Uri(jwksUri), cancellationToken)).GetSigningKeys();
            if (keys.Count == 0)
            {
                checks.Add(new(Keys, false, $"{jwksUri} lists no usable signing key"));
                return (null, discoveredIssuer);
            }
            checks.Add(new(Keys, true, $"{keys.Count} key(s) from {jwksUri}"));
            return (keys, discoveredIssuer);
        }
        catch (Exception e) when (e is HttpRequestException or ArgumentException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            checks.Add(new(Keys, false, $"could not read keys from {jwksUri}: {e.Message}"));
            return (null, discoveredIssuer);
        }
    }

    private static string SignatureFailure(Exception? exception, JsonWebToken token) => exception switch
    {
        SecurityTokenSignatureKeyNotFoundException => $"no published key matches kid '{token.Kid ?? "(none)"}'",
        SecurityTokenInvalidAlgorithmException => $"algorithm '{token.Alg}' is not accepted (RS256 only)",
        SecurityTokenInvalidSignatureException => "the signature does not verify with the published keys",
        null => "the signature does not verify",
        _ => $"the signature does not verify ({exception.GetType().Name})",
    };

    // A trailing slash is the most common difference between a configured base URL and the issuer; nothing else is forgiven.
    private static bool SameIssuer(string actual, string expected) =>
        string.Equals(actual.TrimEnd('/'), expected.TrimEnd('/'), StringComparison.Ordinal);

    private static IReadOnlyDictionary<string, JsonElement> Decode(string base64UrlJson)
    {
        using var document = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(base64UrlJson));
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }
}
