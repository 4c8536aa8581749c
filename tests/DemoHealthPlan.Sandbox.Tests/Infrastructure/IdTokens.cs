using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DemoHealthPlan.Sandbox.Tests.Infrastructure;

/// <summary>Verifies JWTs the sandbox issues the way a client does: keys from the published JWKS (via OpenID discovery).</summary>
public static class IdTokens
{
    public static async Task<JsonWebKeySet> PublishedKeysAsync(TestSandbox sandbox)
    {
        using var http = new HttpClient();
        var discovery = JsonNode.Parse(await http.GetStringAsync(new Uri(sandbox.Endpoints.BaseUrl, ".well-known/openid-configuration")))!;
        var jwksUri = discovery["jwks_uri"]!.GetValue<string>();
        return new JsonWebKeySet(await http.GetStringAsync(jwksUri));
    }

    /// <summary>Validates signature (against the JWKS), issuer (the base URL), lifetime, type and audience (unless null).</summary>
    public static async Task<TokenValidationResult> ValidateAsync(TestSandbox sandbox, string jwt, string? audience, string tokenType = "JWT")
    {
        var keys = await PublishedKeysAsync(sandbox);
        return await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = sandbox.Endpoints.BaseUrl.AbsoluteUri,
            ValidAudience = audience,
            ValidateAudience = audience is not null,
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = [tokenType],
        });
    }

    public static JsonWebToken Read(string jwt) => new(jwt);
}
