using DemoHealthPlan.Sandbox.Faults;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace DemoHealthPlan.Sandbox.Auth.Faults;

/// <summary>
/// Faults in the id_token's claims: <c>idtoken-iat-in-future</c>, <c>idtoken-wrong-azp</c>, <c>idtoken-nonce-not-echoed</c>.
/// Each changes one claim of the id_token principal after OpenIddict has prepared it and before it is signed, so the
/// token still verifies and only that claim is wrong.
/// </summary>
internal static class IdentityTokenClaimFaults
{
    public const string IssuedInFuture = "idtoken-iat-in-future";
    public const string WrongAuthorizedParty = "idtoken-wrong-azp";
    public const string NonceNotEchoed = "idtoken-nonce-not-echoed";

    /// <summary>Far beyond any clock skew a client allows; the expiry moves by as much, so only iat is wrong.</summary>
    public static readonly TimeSpan FutureShift = TimeSpan.FromDays(1);

    public static void Apply(OpenIddictServerBuilder server, SandboxFaults faults)
    {
        if (faults.IsOn(IssuedInFuture))
            server.AddEventHandler(BeforeSigning(principal =>
            {
                principal.SetCreationDate(principal.GetCreationDate() + FutureShift);
                principal.SetExpirationDate(principal.GetExpirationDate() + FutureShift);
            }));
        if (faults.IsOn(WrongAuthorizedParty))
            server.AddEventHandler(BeforeSigning(principal => principal.SetClaim(Claims.AuthorizedParty, IdentityTokenFaults.OtherAudience)));
        if (faults.IsOn(NonceNotEchoed))
            server.AddEventHandler(BeforeSigning(principal => principal.SetClaim(Claims.Nonce, (string?)null)));
    }

    private static OpenIddictServerHandlerDescriptor BeforeSigning(Action<System.Security.Claims.ClaimsPrincipal> change) =>
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseInlineHandler(context =>
            {
                if (context.IdentityTokenPrincipal is { } principal) change(principal);
                return default;
            })
            .SetOrder(OpenIddictServerHandlers.GenerateIdentityToken.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();
}
