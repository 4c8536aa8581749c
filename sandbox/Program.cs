using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Hosting;

try
{
    var app = SandboxApp.Build(args);
    await app.StartAsync();
    var endpoints = SandboxApp.DescribeEndpoints(app);
    var settings = app.Services.GetRequiredService<SandboxSettings>();
    Console.WriteLine($"""
        Demo Health Plan sandbox is running.
          Authorization endpoint : {endpoints.AuthorizeEndpoint}
          Token endpoint         : {endpoints.TokenEndpoint}
          SMART configuration    : {endpoints.SmartConfiguration}
          FHIR base URL          : {endpoints.FhirBaseUrl}
          Test client            : client_id={endpoints.TestClient.ClientId}, client_secret={endpoints.TestClient.ClientSecret} (sandbox only)
          Redirect URI(s)        : {string.Join(", ", endpoints.TestClient.RedirectUris)}
          Verification mail      : {endpoints.MailDelivery} (run an SMTP catcher there to read the codes)
          State folder           : {settings.StateFolder}{(settings.StateFolderIsTemporary ? " (temporary; set Sandbox:StateFolder to keep accounts)" : "")}
          Faults                 : {(settings.Faults.Active.Count == 0 ? "none" : string.Join(", ", settings.Faults.Active))}
          Variations             : {(settings.Variations.Active.Count == 0 ? "none" : string.Join(", ", settings.Variations.Active))}
        Test Member 1: Jason Argonaut, birthdate 01/01/1986, member ID 08-testmemid, postal code 02114.
        Press Ctrl+C to stop.
        """);
    await app.WaitForShutdownAsync();
    if (settings.StateFolderIsTemporary) SandboxServer.DeleteStateFolder(settings.StateFolder);
    return 0;
}
catch (SandboxConfigurationException e)
{
    Console.Error.WriteLine($"Sandbox configuration error: {e.Message}");
    return 2;
}
catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
{
    Console.Error.WriteLine($"Sandbox configuration error: cannot listen: {e.Message} Pick another port with --urls http://127.0.0.1:<port>.");
    return 2;
}
