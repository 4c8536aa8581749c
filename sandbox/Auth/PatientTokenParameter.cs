using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>
/// Adds SMART's <c>patient</c> launch-context parameter to token responses, taken from the patient claim the
/// authorization code carries. OpenIddict copies custom parameters into the response in AttachCustomSignInParameters,
/// so this runs just before it.
/// </summary>
internal sealed class PatientTokenParameter : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseSingletonHandler<PatientTokenParameter>()
            .SetOrder(OpenIddictServerHandlers.AttachCustomSignInParameters.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.EndpointType is OpenIddictServerEndpointType.Token
            && context.Principal?.GetClaim(SandboxClaims.Patient) is { Length: > 0 } patientId)
        {
            context.Parameters[SandboxClaims.Patient] = patientId;
        }
        return default;
    }
}
