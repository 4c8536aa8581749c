using System.Text.Json.Nodes;
using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir.Data;

namespace DemoHealthPlan.Sandbox.Fhir.Faults;

/// <summary>
/// The discovery faults, applied to the SMART configuration a SMART client reads (below the FHIR base):
/// smart-configuration-fhir-json labels the same document application/fhir+json, smart-configuration-missing-fields
/// leaves out grant_types_supported, smart-configuration-jwks-plain-http names a jwks_uri over plain http on a host that
/// is not loopback. The authorization server's own document at the root (and its OpenID configuration) stays whole, so
/// the sandbox's endpoints and the id_token's issuer and keys are found as usual.
/// </summary>
internal static class SmartConfigurationFaults
{
    public const string FhirJsonLabel = "smart-configuration-fhir-json";
    public const string MissingFields = "smart-configuration-missing-fields";
    public const string JwksPlainHttp = "smart-configuration-jwks-plain-http";

    /// <summary>A host name that is not loopback, on plain http: a JWKS a network attacker could swap.</summary>
    public const string PlainHttpJwksUri = "http://keys.demo-health-plan.example/.well-known/jwks";

    /// <summary>
    /// grant_types_supported is the one REQUIRED field nothing else in a launch depends on: without issuer, jwks_uri or
    /// the endpoints, other rules would fail too.
    /// </summary>
    public static readonly string[] LeftOut = ["grant_types_supported"];

    public static async System.Threading.Tasks.Task ServeAsync(HttpContext context, RequestDelegate serveDocument)
    {
        var faults = context.RequestServices.GetRequiredService<SandboxFaults>();
        var relabel = faults.IsOn(FhirJsonLabel);
        var strip = faults.IsOn(MissingFields);
        var plainJwks = faults.IsOn(JwksPlainHttp);
        if (!relabel && !strip && !plainJwks)
        {
            await serveDocument(context);
            return;
        }

        var body = await BufferedResponse.CaptureAsync(context, serveDocument);
        if (strip && context.Response.StatusCode == StatusCodes.Status200OK && JsonNode.Parse(body) is JsonObject document)
        {
            foreach (var field in LeftOut) document.Remove(field);
            body = System.Text.Encoding.UTF8.GetBytes(document.ToJsonString());
        }
        if (plainJwks && context.Response.StatusCode == StatusCodes.Status200OK && JsonNode.Parse(body) is JsonObject advertised)
        {
            advertised["jwks_uri"] = PlainHttpJwksUri;
            body = System.Text.Encoding.UTF8.GetBytes(advertised.ToJsonString());
        }
        if (relabel) context.Response.ContentType = FhirJson.ContentType;
        await BufferedResponse.SendAsync(context, body);
    }
}
