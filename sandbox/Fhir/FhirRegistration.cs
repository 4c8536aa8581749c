using DemoHealthPlan.Sandbox.Fhir.Access;
using DemoHealthPlan.Sandbox.Fhir.Api;
using DemoHealthPlan.Sandbox.Fhir.Data;
using DemoHealthPlan.Sandbox.Fhir.Faults;
using DemoHealthPlan.Sandbox.Fhir.Members;
using DemoHealthPlan.Sandbox.Hosting;

namespace DemoHealthPlan.Sandbox.Fhir;

/// <summary>The FHIR side of the sandbox: the data set, the member directory enrollment uses, and the API at /r4.</summary>
public static class FhirRegistration
{
    public const string BasePath = "/r4";

    /// <summary>
    /// Starts loading the data folder now; a bad file stops startup with a <see cref="Faults.SandboxConfigurationException"/>
    /// naming it. Registers <see cref="IMemberDirectory"/> as a singleton.
    /// </summary>
    public static IServiceCollection AddSandboxFhir(this IServiceCollection services, SandboxSettings settings)
    {
        var loading = new FhirDataLoading(settings.DataFolder);
        services.AddSingleton(loading);
        services.AddHostedService(sp =>
        {
            loading.Logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("DemoHealthPlan.Sandbox.Data");
            return loading;
        });
        services.AddSingleton(sp => sp.GetRequiredService<FhirDataLoading>().Store);
        services.AddSingleton<MemberDirectory>();
        services.AddSingleton<IMemberDirectory>(sp => new OtherMemberContext(sp.GetRequiredService<MemberDirectory>(), sp.GetRequiredService<FhirResourceStore>(), sp.GetRequiredService<DemoHealthPlan.Sandbox.Faults.SandboxFaults>()));
        services.AddSingleton<FhirApi>();
        services.AddSingleton<FhirAuthentication>();
        services.AddSingleton<FhirHttpEndpoint>();
        return services;
    }

    /// <summary>
    /// Serves the FHIR API under /r4 (a branch of its own, so every answer there is FHIR, errors included), and the SMART
    /// configuration at the FHIR base (/r4/.well-known/smart-configuration, the authorization server's own document).
    /// </summary>
    public static WebApplication MapSandboxFhir(this WebApplication app)
    {
        ((IApplicationBuilder)app).Map(BasePath, branch =>
        {
            branch.MapWhen(SmartDiscoveryForwarder.IsDiscovery, discovery => discovery.Run(SmartDiscoveryForwarder.ServeAsync));
            branch.UseMiddleware<FhirContentFaultMiddleware>();
            branch.Run(context => context.RequestServices.GetRequiredService<FhirHttpEndpoint>().HandleAsync(context));
        });
        return app;
    }
}
