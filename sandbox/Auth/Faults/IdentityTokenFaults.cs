using System.Security.Cryptography;
using System.Text;
using DemoHealthPlan.Sandbox.Faults;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace DemoHealthPlan.Sandbox.Auth.Faults;

/// <summary>Faults in the id_token: <c>idtoken-wrong-audience</c>, <c>idtoken-bad-signature</c>.</summary>
internal static class IdentityTokenFaults
{
    public const string WrongAudience = "idtoken-wrong-audience";
    public const string BadSignature = "idtoken-bad-signature";

    /// <summary>The audience a faulty id_token is issued for instead of the requesting client.</summary>
    public const string OtherAudience = "https://another-client.example";

    public static void Apply(OpenIddictServerBuilder server, SandboxFaults faults)
    {
        if (faults.IsOn(WrongAudience)) server.AddEventHandler(ReplaceAudience.Descriptor);
        if (faults.IsOn(BadSignature)) server.AddEventHandler(SignWithUnpublishedKey.Descriptor);
    }

    /// <summary>Runs after OpenIddict has set aud = client_id on the id_token principal and before the token is signed.</summary>
    private sealed class ReplaceAudience : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
                .UseSingletonHandler<ReplaceAudience>()
                .SetOrder(OpenIddictServerHandlers.GenerateIdentityToken.Descriptor.Order - 1)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ProcessSignInContext context)
        {
            context.IdentityTokenPrincipal?.SetAudiences(OtherAudience);
            return default;
        }
    }

    /// <summary>
    /// Re-signs the issued id_token with a key the JWKS does not publish, keeping header (kid, alg) and claims: the token
    /// looks right and only signature verification exposes it.
    /// </summary>
    private sealed class SignWithUnpublishedKey : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        private static readonly RSA UnpublishedKey = RSA.Create(2048);

        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
                .UseSingletonHandler<SignWithUnpublishedKey>()
                .SetOrder(OpenIddictServerAspNetCoreHandlers.ProcessJsonResponse<ApplyTokenResponseContext>.Descriptor.Order - 1_000)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (context.Response.IdToken is { } idToken && idToken.LastIndexOf('.') is var dot and > 0)
            {
                var signingInput = idToken[..dot];
                var signature = UnpublishedKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                context.Response.IdToken = signingInput + "." + Base64UrlEncoder.Encode(signature);
            }
            return default;
        }
    }
}
