using System.Security.Claims;
using DemoHealthPlan.Sandbox.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace DemoHealthPlan.Sandbox.Enrollment;

/// <summary>The member's browser session on the sandbox (a data-protected cookie), set once their email is verified.</summary>
public static class MemberSession
{
    public const string Scheme = "DemoHealthPlanMember";
    internal static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    internal static void Register(AuthenticationBuilder authentication) =>
        authentication.AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = "dhp_member";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = Lifetime;
            cookie.SlidingExpiration = false;
            // The authorization endpoint renders its own sign-in page; nothing here redirects to a login path.
            cookie.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });

    /// <summary>The signed-in member's Patient id, or null when nobody is signed in.</summary>
    public static async Task<string?> CurrentPatientIdAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(Scheme);
        return result.Succeeded ? result.Principal.FindFirst(SandboxClaims.Patient)?.Value : null;
    }

    internal static Task SignInAsync(HttpContext context, string patientId)
    {
        var identity = new ClaimsIdentity([new Claim(SandboxClaims.Patient, patientId)], Scheme);
        return context.SignInAsync(Scheme, new ClaimsPrincipal(identity));
    }
}
