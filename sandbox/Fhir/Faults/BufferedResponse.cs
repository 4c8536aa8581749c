namespace DemoHealthPlan.Sandbox.Fhir.Faults;

/// <summary>A response captured before it is sent, so that a fault can change its body or headers on the way out.</summary>
internal static class BufferedResponse
{
    /// <summary>Runs <paramref name="next"/> with the response body written to memory; returns what it wrote.</summary>
    public static async System.Threading.Tasks.Task<byte[]> CaptureAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        return buffer.ToArray();
    }

    /// <summary>Sends <paramref name="body"/> as the whole response body.</summary>
    public static async System.Threading.Tasks.Task SendAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
