using System.Text;
using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir.Data;
using DemoHealthPlan.Sandbox.Hosting;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Faults;

/// <summary>
/// The transport faults of the FHIR API, wrapped around every /r4 response without the API knowing:
/// slow-response (waits SlowResponseDelay, giving up when the client does), server-error (500),
/// wrong-content-type (text/html label on the same body) and malformed-json (the body cut in half).
/// </summary>
internal sealed class FhirContentFaultMiddleware(RequestDelegate next, SandboxFaults faults, SandboxSettings settings)
{
    public const string WrongContentType = "text/html; charset=utf-8";

    public async System.Threading.Tasks.Task InvokeAsync(HttpContext context)
    {
        if (faults.IsOn("slow-response"))
        {
            try
            {
                await System.Threading.Tasks.Task.Delay(settings.SlowResponseDelay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up; nobody is left to answer
            }
        }

        if (faults.IsOn("server-error"))
        {
            var outcome = FhirProblem.Outcome(OperationOutcome.IssueType.Exception, "Internal server error (sandbox fault 'server-error').");
            var bytes = Encoding.UTF8.GetBytes(FhirJson.Serialize(outcome));
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.ContentType = FhirJson.ContentType;
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
            return;
        }

        var relabel = faults.IsOn("wrong-content-type");
        var truncate = faults.IsOn("malformed-json");
        if (!relabel && !truncate)
        {
            await next(context);
            return;
        }

        var body = await BufferedResponse.CaptureAsync(context, next);
        // Half of a JSON object is never valid JSON: its closing brace is gone.
        if (truncate) body = body[..(body.Length / 2)];
        if (relabel && context.Response.ContentType is not null) context.Response.ContentType = WrongContentType;
        await BufferedResponse.SendAsync(context, body);
    }
}
