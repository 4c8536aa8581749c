using DemoHealthPlan.Sandbox.Faults;
using OpenIddict.Server;

namespace DemoHealthPlan.Sandbox.Auth.Faults;

/// <summary>
/// Faults in how the token endpoint judges a code exchange: <c>code-reusable</c>, <c>code-never-expires</c>,
/// <c>redirect-uri-not-checked</c>, <c>client-secret-not-checked</c>. Each removes exactly the OpenIddict check that
/// enforces the rule (or, for expiry, makes the rule unreachable).
/// </summary>
internal static class TokenRequestFaults
{
    public const string CodeReusable = "code-reusable";
    public const string CodeNeverExpires = "code-never-expires";
    public const string RedirectUriNotChecked = "redirect-uri-not-checked";
    public const string ClientSecretNotChecked = "client-secret-not-checked";

    /// <summary>Long enough that no test or session outlives a code.</summary>
    private static readonly TimeSpan EffectivelyForever = TimeSpan.FromDays(3650);

    public static void Apply(OpenIddictServerBuilder server, SandboxFaults faults)
    {
        // A code is single-use because OpenIddict marks its token entry redeemed on exchange; never marking it keeps it valid.
        if (faults.IsOn(CodeReusable)) server.RemoveEventHandler(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor);

        // Codes still carry an expiry, just one that is never reached.
        if (faults.IsOn(CodeNeverExpires)) server.SetAuthorizationCodeLifetime(EffectivelyForever);

        // The check comparing the token request's redirect_uri with the one the code was issued for.
        if (faults.IsOn(RedirectUriNotChecked)) server.RemoveEventHandler(OpenIddictServerHandlers.Exchange.ValidateRedirectUri.Descriptor);

        // The secret comparison only: a confidential client must still send some secret.
        if (faults.IsOn(ClientSecretNotChecked)) server.RemoveEventHandler(OpenIddictServerHandlers.ValidateClientSecret.Descriptor);
    }
}
