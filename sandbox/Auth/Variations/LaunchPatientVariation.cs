using DemoHealthPlan.Sandbox.Faults;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace DemoHealthPlan.Sandbox.Auth.Variations;

/// <summary>
/// Variation <c>patient-only-with-launch-patient</c>: the token response names the patient in context only when the
/// granted scope has <c>launch/patient</c>. The access token still opens the member's compartment.
/// </summary>
internal static class LaunchPatientVariation
{
    public const string Name = "patient-only-with-launch-patient";
    public const string LaunchPatientScope = "launch/patient";

    public static void Apply(OpenIddictServerBuilder server, SandboxVariations variations)
    {
        if (variations.IsOn(Name)) server.AddEventHandler(PatientOnlyWithLaunchPatient.Descriptor);
    }

    private sealed class PatientOnlyWithLaunchPatient : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
                .UseSingletonHandler<PatientOnlyWithLaunchPatient>()
                .SetOrder(OpenIddictServerAspNetCoreHandlers.ProcessJsonResponse<ApplyTokenResponseContext>.Descriptor.Order - 1_000)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            var granted = (context.Response.Scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!granted.Contains(LaunchPatientScope, StringComparer.Ordinal)) context.Response.RemoveParameter(SandboxClaims.Patient);
            return default;
        }
    }
}
