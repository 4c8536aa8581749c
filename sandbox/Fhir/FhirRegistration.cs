using DemoHealthPlan.Sandbox.Hosting;

namespace DemoHealthPlan.Sandbox.Fhir;

public static class FhirRegistration
{
    public static IServiceCollection AddSandboxFhir(this IServiceCollection services, SandboxSettings settings) => services;
    public static WebApplication MapSandboxFhir(this WebApplication app) => app;
}
