using DemoHealthPlan.Sandbox.Faults;

namespace DemoHealthPlan.Sandbox.Auth.Faults;

/// <summary>
/// Installs the authorization server's deliberate rule violations that are switched on. Faults are fixed for the life
/// of a sandbox, so each one changes OpenIddict's handler pipeline once, at start, and nothing else.
/// </summary>
internal static class AuthFaults
{
    public static void Apply(OpenIddictServerBuilder server, SandboxFaults faults)
    {
        AuthorizationResponseFaults.Apply(server, faults);
        TokenRequestFaults.Apply(server, faults);
        TokenResponseFaults.Apply(server, faults);
        IdentityTokenFaults.Apply(server, faults);
        RequestValidationFaults.Apply(server, faults);
        IdentityTokenClaimFaults.Apply(server, faults);
        RefreshTokenFaults.Apply(server, faults);
    }
}
