using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;

namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>Who is calling the FHIR API: the member's Patient id and the scopes granted to the app.</summary>
public sealed record SandboxCaller(string PatientId, IReadOnlySet<string> Scopes, string? ClientId);

/// <summary>
/// Validates the bearer access token of a FHIR request against the sandbox's own authorization server
/// (signature, issuer, lifetime) through OpenIddict validation.
/// </summary>
public static class SandboxAuthentication
{
    /// <summary>The authentication scheme of access tokens issued by the sandbox.</summary>
    public const string Scheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;

    /// <summary>The caller of a request with a valid access token carrying a patient claim; null otherwise (answer 401).</summary>
    public static async Task<SandboxCaller?> AuthenticateAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(Scheme);
        if (!result.Succeeded || result.Principal.GetClaim(SandboxClaims.Patient) is not { Length: > 0 } patientId)
            return null;
        return new SandboxCaller(patientId, result.Principal.GetScopes().ToHashSet(StringComparer.Ordinal),
            result.Principal.GetPresenters().FirstOrDefault() ?? result.Principal.GetClaim("client_id"));
    }
}
