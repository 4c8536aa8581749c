using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Hosting;
using Microsoft.AspNetCore.Mvc;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>SMART App Launch discovery (<c>/.well-known/smart-configuration</c>), consistent with OpenIddict's own metadata.</summary>
internal static class SmartConfigurationEndpoint
{
    public static readonly string[] Capabilities =
    [
        "launch-standalone",
        "client-confidential-symmetric",
        "context-standalone-patient",
        "permission-patient",
        SsoOpenIdConnect,
        "permission-v1",
        ScopeVersions.PermissionV2,
        PermissionOffline,
    ];

    private const string SsoOpenIdConnect = "sso-openid-connect";
    private const string PermissionOffline = "permission-offline";

    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/" + AuthPaths.SmartConfiguration, ([FromServices] SandboxBaseAddress baseAddress, [FromServices] SandboxVariations variations) =>
        {
            var issuer = baseAddress.Value;
            var openId = OffersOpenId(variations);
            var offline = OffersRefreshTokens(variations);
            var configuration = new Dictionary<string, object>
            {
                ["jwks_uri"] = new Uri(issuer, AuthPaths.Jwks).AbsoluteUri,
                ["authorization_endpoint"] = new Uri(issuer, AuthPaths.Authorize).AbsoluteUri,
                ["token_endpoint"] = new Uri(issuer, AuthPaths.Token).AbsoluteUri,
                ["grant_types_supported"] = offline ? new[] { GrantTypes.AuthorizationCode, GrantTypes.RefreshToken } : new[] { GrantTypes.AuthorizationCode },
                ["response_types_supported"] = new[] { ResponseTypes.Code },
                ["scopes_supported"] = SmartScopes.Supported.Keys
                    .Where(scope => (openId || !SmartScopes.IsIdentity(scope)) && (offline || scope != SmartScopes.OfflineAccess))
                    .Where(scope => ScopeVersions.AdvertisesV2(variations) || !ScopeVersions.IsV2(scope)).ToArray(),
                ["code_challenge_methods_supported"] = new[] { CodeChallengeMethods.Sha256 },
                ["token_endpoint_auth_methods_supported"] = new[] { ClientAuthenticationMethods.ClientSecretPost, ClientAuthenticationMethods.ClientSecretBasic },
                ["capabilities"] = Capabilities.Where(c => (openId || c != SsoOpenIdConnect) && (offline || c != PermissionOffline)
                    && (ScopeVersions.AdvertisesV2(variations) || c != ScopeVersions.PermissionV2)).ToArray(),
            };
            // SMART: issuer is "Required if the server's capabilities include sso-openid-connect; otherwise, omitted."
            if (openId) configuration["issuer"] = issuer.AbsoluteUri;
            return Results.Json(configuration);
        });

    /// <summary>False under the no-openid variation: no sso-openid-connect, and identity scopes are not granted.</summary>
    public static bool OffersOpenId(SandboxVariations variations) => !variations.IsOn("no-openid");

    /// <summary>False under the no-refresh-tokens variation: no permission-offline, and offline_access is not granted.</summary>
    public static bool OffersRefreshTokens(SandboxVariations variations) => !variations.IsOn("no-refresh-tokens");
}
