using DemoHealthPlan.Sandbox.Hosting;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>
/// SMART App Launch's <c>aud</c>: the FHIR base URL the app wants a token for ("This parameter prevents leaking a genuine
/// bearer token to a counterfeit resource server"). The sandbox hosts one FHIR base, so an authorization request naming
/// any other is refused before sign-in. A request without <c>aud</c> is left alone: that is another rule.
/// </summary>
internal sealed class AudienceCheck(SandboxBaseAddress baseAddress) : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
{
    public const string Parameter = "aud";
    public const string FhirBasePath = "r4";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseSingletonHandler<AudienceCheck>()
            .SetOrder(OpenIddictServerHandlers.Authentication.ValidateClientRedirectUri.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        var audience = (string?)context.Request.GetParameter(Parameter);
        if (audience is not null && !IsFhirBase(audience))
            context.Reject(Errors.InvalidRequest,
                $"The aud parameter must be this health plan's FHIR base URL, {FhirBase.AbsoluteUri.TrimEnd('/')}; the app asked for {audience}.");
        return default;
    }

    private Uri FhirBase => new(baseAddress.Value, FhirBasePath + "/");

    /// <summary>The FHIR base URL, with or without its trailing slash; scheme and host compared case-insensitively as URLs are.</summary>
    private bool IsFhirBase(string audience) =>
        Uri.TryCreate(audience.EndsWith('/') ? audience : audience + "/", UriKind.Absolute, out var requested)
        && Uri.Compare(requested, FhirBase, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped, StringComparison.Ordinal) == 0;
}
