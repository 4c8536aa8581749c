using System.Text;
using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir.Access;
using DemoHealthPlan.Sandbox.Fhir.Data;
using DemoHealthPlan.Sandbox.Fhir.Search;
using Hl7.Fhir.Model;
using Microsoft.Net.Http.Headers;

namespace DemoHealthPlan.Sandbox.Fhir.Api;

/// <summary>
/// The HTTP face of the FHIR API under /r4: routes, authenticates, and writes every answer (errors included) as
/// application/fhir+json.
/// </summary>
internal sealed class FhirHttpEndpoint(FhirApi api, FhirAuthentication authentication, SandboxVariations variations, ILogger<FhirHttpEndpoint> log)
{
    public async System.Threading.Tasks.Task HandleAsync(HttpContext context)
    {
        FhirResponse response;
        try
        {
            response = await DispatchAsync(context);
        }
        catch (FhirProblem problem)
        {
            response = new FhirResponse(problem.Status, problem.ToOperationOutcome(), problem.Headers);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            log.LogError(e, "FHIR request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            response = new FhirResponse(500, FhirProblem.Outcome(OperationOutcome.IssueType.Exception, "The server failed to process the request."),
                new Dictionary<string, string>());
        }
        await WriteAsync(context, response);
    }

    private async Task<FhirResponse> DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        var method = request.Method;
        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var urls = UrlsOf(request);

        if (segments is ["metadata"])
        {
            CheckAcceptable(request);
            if (!HttpMethods.IsGet(method)) throw ReadOnly(method, "GET");
            return FhirResponse.Ok(CapabilityStatementFactory.Build(urls, withOAuthUris: !variations.IsOn("capability-without-oauth-uris")));
        }

        if (variations.IsOn("writes-refused-by-gateway") && GatewayRefusal(method, segments) is { } refusal) return refusal;

        // A missing token is the first thing a client must hear about, before any content negotiation.
        var caller = await authentication.AuthenticateAsync(context);
        CheckAcceptable(request);
        switch (segments)
        {
            case [var type] when HttpMethods.IsGet(method):
                return api.Search(caller, type, Query(request), urls);
            case [var type] when HttpMethods.IsPost(method) && api.WritesAllowed:
                return api.Create(type, await BodyAsync(request), urls);
            case [var type, "_search"] when HttpMethods.IsPost(method) || HttpMethods.IsGet(method):
                return api.Search(caller, type, Query(request).Concat(await FormAsync(request)), urls);
            case [var type, var id] when HttpMethods.IsGet(method):
                return api.Read(caller, type, id);
            case [var type, var id] when HttpMethods.IsPut(method) && api.WritesAllowed:
                return api.Update(type, id, await BodyAsync(request), urls);
            case [var type, var id] when HttpMethods.IsDelete(method) && api.WritesAllowed:
                return api.Delete(type, id);
            case [var type, var id, "_history", var version] when HttpMethods.IsGet(method):
                return api.Read(caller, type, id, version);
            case [var type, ..] when !FhirApi.ResourceTypes.Contains(type):
                throw FhirProblem.NotFound($"Resource type '{type}' is not served here; this server serves {string.Join(", ", FhirApi.ResourceTypes)}.");
            case [_, "_search"]:
                throw ReadOnly(method, "GET, POST");
            case [_]:
                throw api.MethodNotAllowed(method, null);
            case [_, _] or [_, _, "_history", _]:
                throw api.MethodNotAllowed(method, segments[1]);
            default:
                throw FhirProblem.NotFound($"'{request.PathBase}{request.Path}' is not an interaction this server supports (read, vread, search-type, metadata).");
        }
    }

    /// <summary>How a gateway in front of the server answers a write it lets through to nowhere (no route, no method).</summary>
    private static FhirResponse? GatewayRefusal(string method, string[] segments)
    {
        int? status = method switch
        {
            _ when HttpMethods.IsPost(method) && segments is [_] => 404,
            _ when HttpMethods.IsPut(method) => 405,
            _ when HttpMethods.IsDelete(method) => 501,
            _ when HttpMethods.IsPatch(method) => 400,
            _ => null,
        };
        return status is { } code
            ? new FhirResponse(code, FhirProblem.Outcome(OperationOutcome.IssueType.NotSupported, $"The API gateway does not pass {method} requests on."),
                new Dictionary<string, string>())
            : null;
    }

    private static FhirUrls UrlsOf(HttpRequest request)
    {
        var root = $"{request.Scheme}://{request.Host}";
        var fhirBase = $"{root}{request.PathBase}".TrimEnd('/');
        var serverBase = fhirBase.EndsWith("/r4", StringComparison.Ordinal) ? fhirBase[..^3] : root;
        return new FhirUrls(fhirBase, serverBase);
    }

    private static IEnumerable<KeyValuePair<string, string>> Query(HttpRequest request)
    {
        CheckFormat(request);
        return request.Query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? ""))).ToList();
    }

    private static async Task<IEnumerable<KeyValuePair<string, string>>> FormAsync(HttpRequest request)
    {
        if (!request.HasFormContentType) return [];
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        return form.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? ""))).ToList();
    }

    private static async Task<string> BodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
    }

    private static void CheckFormat(HttpRequest request)
    {
        foreach (var format in request.Query["_format"])
            if (!string.IsNullOrEmpty(format))
                SearchRequestParser.CheckFormat(format!);
    }

    /// <summary>An Accept header that rules out JSON gets 406; absent, */* or any JSON type is fine.</summary>
    private static void CheckAcceptable(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(accept)) return;
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var ranges)) return;
        var acceptsJson = ranges.Any(r =>
            r.Quality is not 0 && (r.MediaType.Equals("*/*", StringComparison.OrdinalIgnoreCase)
                || r.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase)
                || r.MediaType.Equals(FhirJson.MediaType, StringComparison.OrdinalIgnoreCase)
                || r.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || r.MediaType.Equals("application/json+fhir", StringComparison.OrdinalIgnoreCase)));
        if (!acceptsJson)
            throw new FhirProblem(406, OperationOutcome.IssueType.NotSupported,
                $"This server answers in {FhirJson.MediaType} only; the Accept header '{accept}' rules that out.");
    }

    private static FhirProblem ReadOnly(string method, string allow) =>
        new(405, OperationOutcome.IssueType.NotSupported, $"{method} is not allowed here (allowed: {allow}).")
        {
            Headers = new Dictionary<string, string> { ["Allow"] = allow },
        };

    private static async System.Threading.Tasks.Task WriteAsync(HttpContext context, FhirResponse response)
    {
        var http = context.Response;
        http.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers) http.Headers[name] = value;
        if (response.Body is null) return;
        var bytes = Encoding.UTF8.GetBytes(FhirJson.Serialize(response.Body));
        http.ContentType = FhirJson.ContentType;
        http.ContentLength = bytes.Length;
        await http.Body.WriteAsync(bytes, context.RequestAborted);
    }
}
