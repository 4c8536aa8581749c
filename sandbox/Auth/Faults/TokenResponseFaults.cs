using DemoHealthPlan.Sandbox.Faults;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace DemoHealthPlan.Sandbox.Auth.Faults;

/// <summary>
/// Faults in the token endpoint's successful response: <c>token-missing-patient</c>, <c>token-type-not-bearer</c>,
/// <c>token-cache-headers-missing</c>. The response is built normally and then altered just before it is written.
/// </summary>
internal static class TokenResponseFaults
{
    public const string MissingPatient = "token-missing-patient";
    public const string TypeNotBearer = "token-type-not-bearer";
    public const string CacheHeadersMissing = "token-cache-headers-missing";

    /// <summary>A real token type (RFC 6749 §7.1 names it), just not the Bearer SMART requires.</summary>
    public const string WrongTokenType = "mac";

    private static int BeforeWritingJson =>
        OpenIddictServerAspNetCoreHandlers.ProcessJsonResponse<ApplyTokenResponseContext>.Descriptor.Order - 1_000;

    public static void Apply(OpenIddictServerBuilder server, SandboxFaults faults)
    {
        if (faults.IsOn(MissingPatient)) server.AddEventHandler(RemovePatient.Descriptor);
        if (faults.IsOn(TypeNotBearer)) server.AddEventHandler(ReplaceTokenType.Descriptor);
        // OpenIddict's ASP.NET Core host adds Cache-Control: no-store and Pragma: no-cache in this one handler.
        if (faults.IsOn(CacheHeadersMissing))
            server.RemoveEventHandler(OpenIddictServerAspNetCoreHandlers.AttachCacheControlHeader<ApplyTokenResponseContext>.Descriptor);
    }

    private sealed class RemovePatient : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
                .UseSingletonHandler<RemovePatient>()
                .SetOrder(BeforeWritingJson)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            context.Response.RemoveParameter(SandboxClaims.Patient);
            return default;
        }
    }

    private sealed class ReplaceTokenType : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
                .UseSingletonHandler<ReplaceTokenType>()
                .SetOrder(BeforeWritingJson)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (!string.IsNullOrEmpty(context.Response.AccessToken)) context.Response.TokenType = WrongTokenType;
            return default;
        }
    }
}
