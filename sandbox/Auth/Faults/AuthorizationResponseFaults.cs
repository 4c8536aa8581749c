using System.Security.Cryptography;
using DemoHealthPlan.Sandbox.Faults;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace DemoHealthPlan.Sandbox.Auth.Faults;

/// <summary>Faults in the redirect back to the client: <c>state-not-echoed</c>.</summary>
internal static class AuthorizationResponseFaults
{
    public const string StateNotEchoed = "state-not-echoed";

    public static void Apply(OpenIddictServerBuilder server, SandboxFaults faults)
    {
        if (faults.IsOn(StateNotEchoed)) server.AddEventHandler(ReplaceState.Descriptor);
    }

    /// <summary>Swaps the state OpenIddict echoes for a random one, on codes and errors alike.</summary>
    private sealed class ReplaceState : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyAuthorizationResponseContext>()
                .UseSingletonHandler<ReplaceState>()
                .SetOrder(OpenIddictServerHandlers.Authentication.AttachResponseState.Descriptor.Order + 1)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
        {
            if (!string.IsNullOrEmpty(context.Response.State))
                context.Response.State = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12));
            return default;
        }
    }
}
