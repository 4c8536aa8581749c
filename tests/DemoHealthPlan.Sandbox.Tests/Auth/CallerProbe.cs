using System.Text.Json;
using DemoHealthPlan.Sandbox.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>
/// A test-only resource endpoint (<c>/test/caller</c>) that authenticates like the FHIR API does, through
/// <see cref="SandboxAuthentication.AuthenticateAsync"/>: 401 without a valid token, else the caller as JSON.
/// </summary>
internal sealed class CallerProbe : IStartupFilter
{
    public const string Path = "/test/caller";

    public static void Register(IServiceCollection services) => services.AddSingleton<IStartupFilter, CallerProbe>();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        // Like the FHIR endpoints, the probe runs after the authentication middleware (OpenIddict validation needs it).
        app.MapWhen(context => context.Request.Path == Path, probe =>
        {
            probe.UseAuthentication();
            probe.Run(async context =>
            {
                var caller = await SandboxAuthentication.AuthenticateAsync(context);
                if (caller is null)
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new { patient = caller.PatientId, scopes = caller.Scopes.Order(), client = caller.ClientId }));
            });
        });
        next(app);
    };
}
