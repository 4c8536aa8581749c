using DemoHealthPlan.Sandbox.Hosting;

namespace DemoHealthPlan.Sandbox.Auth;

public static class AuthRegistration
{
    public static IServiceCollection AddSandboxAuth(this IServiceCollection services, SandboxSettings settings) => services;
    public static WebApplication UseSandboxAuth(this WebApplication app) => app;
    public static WebApplication MapSandboxAuth(this WebApplication app) => app;
}
