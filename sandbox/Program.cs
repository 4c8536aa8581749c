using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Hosting;

try
{
    var app = SandboxApp.Build(args);
    await app.StartAsync();
    var endpoints = SandboxApp.DescribeEndpoints(app);
    Console.WriteLine($"""
        Demo Health Plan sandbox is running.
          Authorization endpoint : {endpoints.AuthorizeEndpoint}
          Token endpoint         : {endpoints.TokenEndpoint}
          SMART configuration    : {endpoints.SmartConfiguration}
          FHIR base URL          : {endpoints.FhirBaseUrl}
          Test client            : client_id={endpoints.TestClient.ClientId}, client_secret={endpoints.TestClient.ClientSecret} (sandbox only)
          Redirect URI(s)        : {string.Join(", ", endpoints.TestClient.RedirectUris)}
          Verification mail      : {endpoints.MailDelivery}
        Press Ctrl+C to stop.
        """);
    await app.WaitForShutdownAsync();
    return 0;
}
catch (SandboxConfigurationException e)
{
    Console.Error.WriteLine($"Sandbox configuration error: {e.Message}");
    return 2;
}
