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
        "sso-openid-connect",
    ];

    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/" + AuthPaths.SmartConfiguration, ([FromServices] SandboxBaseAddress baseAddress) =>
        {
            var issuer = baseAddress.Value;
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer.AbsoluteUri,
                ["jwks_uri"] = new Uri(issuer, AuthPaths.Jwks).AbsoluteUri,
                ["authorization_endpoint"] = new Uri(issuer, AuthPaths.Authorize).AbsoluteUri,
                ["token_endpoint"] = new Uri(issuer, AuthPaths.Token).AbsoluteUri,
                ["grant_types_supported"] = new[] { GrantTypes.AuthorizationCode },
                ["response_types_supported"] = new[] { ResponseTypes.Code },
                ["scopes_supported"] = SmartScopes.Supported.Keys.ToArray(),
                ["code_challenge_methods_supported"] = new[] { CodeChallengeMethods.Sha256 },
                ["token_endpoint_auth_methods_supported"] = new[] { ClientAuthenticationMethods.ClientSecretPost, ClientAuthenticationMethods.ClientSecretBasic },
                ["capabilities"] = Capabilities,
            });
        });
}
