using System.Security.Claims;
using DemoHealthPlan.Sandbox.Enrollment;
using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir;
using DemoHealthPlan.Sandbox.Fhir.Data;
using DemoHealthPlan.Sandbox.Hosting;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

using Microsoft.AspNetCore.Mvc;

namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>
/// The authorization endpoint after OpenIddict has validated the request (client, redirect URI, scopes, PKCE):
/// asks an unknown visitor to sign in or create an account, then asks the member for consent, then issues the code.
/// Requests OpenIddict could not validate arrive here as errors (passthrough) and get an HTML page, never a redirect.
/// </summary>
internal static class AuthorizeEndpoint
{
    private const string DecisionField = "decision";

    /// <summary>Where the redirect-uri-refused-elsewhere variation shows refused requests: another host of the sandbox.</summary>
    public const string ErrorPath = "oauth2/error";

    /// <summary>The other host name the sandbox answers on (same loopback listener, another origin).</summary>
    public const string ErrorHost = "localhost";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/" + AuthPaths.Authorize, [HttpMethods.Get, HttpMethods.Post], HandleAsync);
        endpoints.MapGet("/" + ErrorPath, (HttpContext context) => ErrorPage(
            context.Request.Query["error"].ToString() is { Length: > 0 } error ? error : Errors.InvalidRequest,
            context.Request.Query["error_description"].ToString() is { Length: > 0 } description ? description : null));
    }

    private static IResult ErrorPage(string error, string? description) =>
        EnrollmentPages.Error("We can't continue with this sign-in request",
            description ?? "The app sent a sign-in request this health plan cannot accept.",
            StatusCodes.Status400BadRequest, $"Error code: {error}. Contact the app's developer.");

    private static async Task<IResult> HandleAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] IMemberDirectory directory,
        [FromServices] ClientDirectory clients, [FromServices] SandboxBaseAddress baseAddress, [FromServices] EnrollmentLabels labels,
        [FromServices] SandboxVariations variations, [FromServices] SandboxFaults faults, [FromServices] FhirResourceStore store)
    {
        if (context.GetOpenIddictServerResponse() is { Error: { } error } failure)
            return variations.IsOn("redirect-uri-refused-elsewhere")
                ? Results.Redirect(QueryHelpers.AddQueryString(
                    $"{baseAddress.Value.Scheme}://{ErrorHost}:{baseAddress.Value.Port}/{ErrorPath}",
                    new Dictionary<string, string?> { ["error"] = error, ["error_description"] = failure.ErrorDescription }))
                : ErrorPage(error, failure.ErrorDescription);
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict did not handle the authorization request.");

        // RFC 6749 3.3 lets a server "fail the request indicating an invalid scope" instead of applying a default.
        if (variations.IsOn("scope-required") && request.GetScopes().IsDefaultOrEmpty)
            return Refuse(Errors.InvalidScope, "This health plan requires the app to name the scopes it asks for.");

        // A SMART 1 server (and the v2-scopes-refused fault) does not know the v2 syntax: the request is refused as invalid_scope.
        if (!ScopeVersions.GrantsV2(variations, faults) && request.GetScopes().FirstOrDefault(ScopeVersions.IsV2) is { } v2Scope)
            return Refuse(Errors.InvalidScope, $"This health plan does not grant SMART v2 scopes such as {v2Scope}; ask for SMART v1 scopes (e.g. patient/*.read).");

        var parameters = RequestParameters(request);
        var returnUrl = QueryHelpers.AddQueryString("/" + AuthPaths.Authorize, parameters);
        var appName = clients.DisplayName(request.ClientId);

        var patientId = await MemberSession.CurrentPatientIdAsync(context);
        var member = patientId is null ? null : directory.ByPatientId(patientId);
        if (member is null)
            return EnrollmentPages.SignInStart(labels, appName, returnUrl, antiforgery.GetAndStoreTokens(context).RequestToken!);

        var scopes = GrantedScopes(request, variations);
        var decision = HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync())[DecisionField].ToString()
            : "";
        if (decision is "allow" or "deny")
        {
            if (!await antiforgery.IsRequestValidAsync(context))
                return EnrollmentPages.StartOver("Your session has expired", "This form has expired or was not sent by this site. Start over.",
                    returnUrl, StatusCodes.Status400BadRequest);

            if (decision is "deny")
                return Refuse(Errors.AccessDenied, "The member did not allow access.");

            return Results.SignIn(Principal(member, scopes, () => FhirUserClaim.For(member.PatientId, baseAddress.Value, variations, faults, store)), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return EnrollmentPages.Consent(labels, appName, member.DisplayName,
            scopes.Select(s => (s, SmartScopes.Supported.GetValueOrDefault(s, s))).ToList(),
            parameters, "/" + AuthPaths.Authorize, antiforgery.GetAndStoreTokens(context).RequestToken!);
    }

    /// <summary>An error redirect to the app's (validated) redirect URI with its state (RFC 6749 4.1.2.1).</summary>
    private static IResult Refuse(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    internal static IReadOnlyList<string> GrantedScopes(OpenIddictRequest request, SandboxVariations variations)
    {
        var requested = request.GetScopes();
        List<string> scopes = requested.IsDefaultOrEmpty ? [SmartScopes.Default] : [.. requested];
        // Without OpenID Connect the identity scopes are left out of the grant (RFC 6749 3.3), so no id_token is issued;
        // without refresh tokens offline_access is left out, so OpenIddict issues no refresh token.
        return scopes
            .Where(s => SmartConfigurationEndpoint.OffersOpenId(variations) || !SmartScopes.IsIdentity(s))
            .Where(s => SmartConfigurationEndpoint.OffersRefreshTokens(variations) || s != SmartScopes.OfflineAccess)
            .ToList();
    }

    private static ClaimsPrincipal Principal(MemberRecord member, IReadOnlyList<string> scopes, Func<string> fhirUser)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, member.PatientId);
        identity.SetClaim(SandboxClaims.Patient, member.PatientId);
        if (scopes.Contains(SmartScopes.OpenId) || scopes.Contains(SmartScopes.FhirUser))
            identity.SetClaim(SandboxClaims.FhirUser, fhirUser());
        identity.SetScopes(scopes);
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Subject or SandboxClaims.FhirUser => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The authorization request as received, to re-post with the consent form or return to after signing in.</summary>
    private static Dictionary<string, string?> RequestParameters(OpenIddictRequest request) =>
        request.GetParameters()
            .Where(p => p.Key is not (DecisionField or EnrollmentPaths.AntiforgeryField))
            .ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
}
