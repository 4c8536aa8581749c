using DemoHealthPlan.Sandbox.Auth;
using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir;

namespace DemoHealthPlan.Sandbox.Hosting;

/// <summary>Composes the sandbox: configuration, authorization server, enrollment pages, FHIR API.</summary>
public static class SandboxApp
{
    public static WebApplication Build(string[] args, SandboxStartOptions? options = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(SandboxApp).Assembly.GetName().Name,
        });
        if (options is not null)
        {
            builder.WebHost.UseUrls(options.Url);
            builder.Configuration.AddInMemoryCollection(options.ToConfiguration());
        }

        var settings = SandboxSettings.Bind(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(settings.Faults);
        builder.Services.AddSingleton(settings.Variations);
        builder.Services.AddSingleton<SandboxBaseAddress>();
        // One clock for the whole sandbox (ASP.NET Core, OpenIddict and the sandbox's own code read TimeProvider from DI).
        builder.Services.AddSingleton<SandboxClock>();
        builder.Services.AddSingleton<TimeProvider>(services => services.GetRequiredService<SandboxClock>());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Keys in the state folder are stored unencrypted on purpose (a local sandbox); the warning would only be noise.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // "Hosting failed to start" comes with a stack trace; every host reports start failures itself (Program.cs in one line).
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        // Hosted in-process (tests, the harness): the host reports endpoints itself; "Now listening on" is noise there.
        if (options is not null) builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        // The data load and the database set-up are independent; starting them together shortens a cold start.
        builder.Services.Configure<HostOptions>(host => host.ServicesStartConcurrently = true);
        builder.Services.AddSandboxFhir(settings);
        builder.Services.AddSandboxAuth(settings);
        options?.ConfigureTestServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseSandboxAuth();
        app.MapSandboxAuth();
        app.MapSandboxFhir();
        return app;
    }

    public static SandboxEndpoints DescribeEndpoints(WebApplication app)
    {
        var settings = app.Services.GetRequiredService<SandboxSettings>();
        var baseUrl = app.Services.GetRequiredService<SandboxBaseAddress>().Value;
        return new SandboxEndpoints(
            BaseUrl: baseUrl,
            AuthorizeEndpoint: new Uri(baseUrl, "oauth2/authorize/digitalinsurance"),
            TokenEndpoint: new Uri(baseUrl, "oauth2/token"),
            SmartConfiguration: new Uri(baseUrl, ".well-known/smart-configuration"),
            FhirBaseUrl: new Uri(baseUrl, "r4/"),
            TestClient: settings.Clients[0],
            MailDelivery: $"smtp://{settings.SmtpHost}:{settings.SmtpPort}");
    }
}
