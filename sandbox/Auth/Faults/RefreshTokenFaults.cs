using DemoHealthPlan.Sandbox.Faults;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace DemoHealthPlan.Sandbox.Auth.Faults;

/// <summary>
/// Faults in the refresh_token grant (RFC 6749 section 6): <c>refresh-without-scope-refused</c>,
/// <c>refresh-narrower-scope-ignored</c>, <c>refresh-scope-wider</c>, <c>refresh-response-cacheable</c>,
/// <c>refresh-bad-token-wrong-error</c>. Each touches refresh requests only; code exchanges answer as before.
/// </summary>
internal static class RefreshTokenFaults
{
    public const string WithoutScopeRefused = "refresh-without-scope-refused";
    public const string NarrowerScopeIgnored = "refresh-narrower-scope-ignored";
    public const string ScopeWider = "refresh-scope-wider";
    public const string ResponseCacheable = "refresh-response-cacheable";
    public const string BadTokenWrongError = "refresh-bad-token-wrong-error";

    /// <summary>RFC 6750's error for a bad access token at a resource server: a plausible mix-up, and not RFC 6749's invalid_grant.</summary>
    public const string WrongError = Errors.InvalidToken;

    private static int BeforeWritingJson =>
        OpenIddictServerAspNetCoreHandlers.ProcessJsonResponse<ApplyTokenResponseContext>.Descriptor.Order - 1_000;

    /// <summary>After OpenIddict has narrowed the access token's scopes to a refresh request's scope, before the token is made.</summary>
    private static int AfterAccessTokenScopes => OpenIddictServerHandlers.PrepareAccessTokenPrincipal.Descriptor.Order + 1;

    public static void Apply(OpenIddictServerBuilder server, SandboxFaults faults)
    {
        if (faults.IsOn(WithoutScopeRefused))
            server.AddEventHandler<HandleTokenRequestContext>(handler => handler
                .UseInlineHandler(RefuseRefreshWithoutScope)
                .SetOrder(OpenIddictServerHandlers.Exchange.AttachPrincipal.Descriptor.Order + 1_000)
                .SetType(OpenIddictServerHandlerType.Custom));

        if (faults.IsOn(NarrowerScopeIgnored))
        {
            server.AddEventHandler<ProcessSignInContext>(handler => handler
                .UseInlineHandler(GrantOriginalScopeDespiteRequest)
                .SetOrder(AfterAccessTokenScopes)
                .SetType(OpenIddictServerHandlerType.Custom));
            server.AddEventHandler<ApplyTokenResponseContext>(handler => handler
                .UseInlineHandler(HideScopeOfScopedRefresh)
                .SetOrder(BeforeWritingJson)
                .SetType(OpenIddictServerHandlerType.Custom));
        }

        if (faults.IsOn(ScopeWider))
        {
            // OpenIddict's check that a refresh's scope is within the original grant, and its narrowing to that grant.
            server.RemoveEventHandler(OpenIddictServerHandlers.Exchange.ValidateGrantedScopes.Descriptor);
            server.AddEventHandler<ProcessSignInContext>(handler => handler
                .UseInlineHandler(GrantEveryScopeAskedOnRefresh)
                .SetOrder(AfterAccessTokenScopes)
                .SetType(OpenIddictServerHandlerType.Custom));
        }

        if (faults.IsOn(ResponseCacheable))
            server.AddEventHandler<ApplyTokenResponseContext>(handler => handler
                .UseInlineHandler(RemoveNoStoreFromRefresh)
                .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachCacheControlHeader<ApplyTokenResponseContext>.Descriptor.Order + 1)
                .SetType(OpenIddictServerHandlerType.Custom));

        if (faults.IsOn(BadTokenWrongError))
            server.AddEventHandler<ApplyTokenResponseContext>(handler => handler
                .UseInlineHandler(MisnameRefreshGrantError)
                .SetOrder(BeforeWritingJson)
                .SetType(OpenIddictServerHandlerType.Custom));
    }

    private static bool IsRefresh(OpenIddictRequest? request) => request?.IsRefreshTokenGrantType() == true;

    private static bool IsScopedRefresh(OpenIddictRequest? request) => IsRefresh(request) && !string.IsNullOrEmpty(request!.Scope);

    private static ValueTask RefuseRefreshWithoutScope(HandleTokenRequestContext context)
    {
        if (IsRefresh(context.Request) && string.IsNullOrEmpty(context.Request.Scope))
            context.Reject(Errors.InvalidScope, "This health plan requires the scope to be named on every refresh.");
        return default;
    }

    private static ValueTask GrantOriginalScopeDespiteRequest(ProcessSignInContext context)
    {
        if (IsScopedRefresh(context.Request) && context.AccessTokenPrincipal is { } accessToken)
            accessToken.SetScopes(context.Principal!.GetScopes());
        return default;
    }

    private static ValueTask HideScopeOfScopedRefresh(ApplyTokenResponseContext context)
    {
        if (IsScopedRefresh(context.Request) && context.Response.AccessToken is not null) context.Response.Scope = null;
        return default;
    }

    private static ValueTask GrantEveryScopeAskedOnRefresh(ProcessSignInContext context)
    {
        if (IsScopedRefresh(context.Request) && context.AccessTokenPrincipal is { } accessToken)
            accessToken.SetScopes(context.Request!.GetScopes());
        return default;
    }

    private static ValueTask RemoveNoStoreFromRefresh(ApplyTokenResponseContext context)
    {
        if (IsRefresh(context.Request)) context.Transaction.GetHttpRequest()?.HttpContext.Response.Headers.Remove("Cache-Control");
        return default;
    }

    /// <summary>Only where the refresh token itself was refused: a valid one asking for a scope beyond its grant keeps invalid_grant.</summary>
    private static ValueTask MisnameRefreshGrantError(ApplyTokenResponseContext context)
    {
        var authentication = context.Transaction.GetProperty<ProcessAuthenticationContext>(typeof(ProcessAuthenticationContext).FullName!);
        if (IsRefresh(context.Request) && context.Response.Error == Errors.InvalidGrant && authentication?.RefreshTokenPrincipal is null)
            context.Response.Error = WrongError;
        return default;
    }
}
