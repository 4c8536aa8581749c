using DemoHealthPlan.Sandbox.Fhir.Data;
using DemoHealthPlan.Sandbox.Fhir.Faults;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Routing.Patterns;

namespace DemoHealthPlan.Sandbox.Fhir.Api;

/// <summary>
/// SMART App Launch puts discovery at [FHIR base]/.well-known/smart-configuration. The authorization server serves the
/// document at the server root; this answers the FHIR-base address with that same endpoint, so the two cannot drift.
/// It is not a FHIR interaction: no token, and the FHIR fault switches do not touch it; only the discovery faults do
/// (<see cref="SmartConfigurationFaults"/>).
/// </summary>
internal static class SmartDiscoveryForwarder
{
    public const string Path = "/.well-known/smart-configuration";

    public static bool IsDiscovery(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) && context.Request.Path.Equals(Path, StringComparison.Ordinal);

    public static async System.Threading.Tasks.Task ServeAsync(HttpContext context)
    {
        var root = context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .FirstOrDefault(e => Normalized(e.RoutePattern) == Path.TrimStart('/') && e.RequestDelegate is not null);
        if (root is null)
        {
            var outcome = FhirProblem.Outcome(OperationOutcome.IssueType.NotFound, "This server publishes no SMART configuration.");
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = FhirJson.ContentType;
            await context.Response.WriteAsync(FhirJson.Serialize(outcome), context.RequestAborted);
            return;
        }
        context.SetEndpoint(root);
        await SmartConfigurationFaults.ServeAsync(context, root.RequestDelegate!);
    }

    private static string? Normalized(RoutePattern pattern) => pattern.RawText?.TrimStart('/');
}
