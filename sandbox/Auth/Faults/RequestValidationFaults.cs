using DemoHealthPlan.Sandbox.Faults;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace DemoHealthPlan.Sandbox.Auth.Faults;

/// <summary>
/// Faults in what the authorization server checks of a request: <c>aud-not-checked</c>, <c>pkce-not-verified</c>,
/// <c>pkce-plain-accepted</c>. Each removes exactly the check that keeps the rule.
/// </summary>
internal static class RequestValidationFaults
{
    public const string AudNotChecked = "aud-not-checked";
    public const string PkceNotVerified = "pkce-not-verified";
    public const string PkcePlainAccepted = "pkce-plain-accepted";

    public static void Apply(OpenIddictServerBuilder server, SandboxFaults faults)
    {
        if (faults.IsOn(AudNotChecked)) server.RemoveEventHandler(AudienceCheck.Descriptor);

        // OpenIddict compares the code_verifier with the code's challenge, and requires one, in this one handler; the
        // challenge is still accepted and stored at the authorization endpoint.
        if (faults.IsOn(PkceNotVerified)) server.RemoveEventHandler(OpenIddictServerHandlers.Exchange.ValidateCodeVerifier.Descriptor);

        // Undoes the sandbox's removal of "plain" (AuthRegistration); the SMART configuration still advertises S256 only.
        if (faults.IsOn(PkcePlainAccepted)) server.Configure(options => options.CodeChallengeMethods.Add(CodeChallengeMethods.Plain));
    }
}
