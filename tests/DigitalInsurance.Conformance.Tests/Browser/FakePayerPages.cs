using System.Collections.Concurrent;
using System.Net;
using DigitalInsurance.Conformance.Tests.OAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DigitalInsurance.Conformance.Tests.Browser;

/// <summary>
/// Enrollment pages with the sandbox's labels, served on loopback, ending in a redirect to a redirect_uri nobody
/// serves. Each step is a real form post answered by a redirect (303 or 302), and the flow only continues with the
/// cookie set on the authorization page, so the harness must carry Set-Cookie through its interception.
/// </summary>
internal sealed class FakePayerPages : IAsyncDisposable
{
    public const string RegisteredRedirectUri = "https://client.example.invalid/callback";
    public const string Code = "fake-authorization-code-0001";

    private readonly ConcurrentDictionary<string, Flow> _flows = new();
    private LocalWebServer _server = null!;

    public sealed class Flow
    {
        public required string RedirectUri { get; init; }
        public required string State { get; init; }
        public Dictionary<string, string> Enrollment { get; } = [];
        public string? VerificationCode { get; set; }
    }

    /// <summary>The code the verification page accepts.</summary>
    public string ExpectedVerificationCode { get; set; } = "482913";

    /// <summary>Serve Birthdate as a native date input instead of a text box.</summary>
    public bool BirthdateAsDateInput { get; set; }

    public Uri BaseUrl => _server.BaseUrl;
    public IReadOnlyCollection<Flow> Flows => _flows.Values.ToList();

    public Uri AuthorizeUrl(string state, string redirectUri = RegisteredRedirectUri) =>
        new(BaseUrl, $"oauth2/authorize/digitalinsurance?response_type=code&client_id=client-1&redirect_uri={Uri.EscapeDataString(redirectUri)}&scope=patient%2F%2A.read&state={Uri.EscapeDataString(state)}");

    public static async Task<FakePayerPages> StartAsync()
    {
        var pages = new FakePayerPages();
        pages._server = await LocalWebServer.StartAsync(pages.Map);
        return pages;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.MapGet("/oauth2/authorize/digitalinsurance", (HttpContext context) =>
        {
            var redirectUri = context.Request.Query["redirect_uri"].ToString();
            if (redirectUri != RegisteredRedirectUri)
                return Html("Error", "<h1>Sign-in error</h1><p role=\"alert\">The redirect_uri is not registered for this client.</p>", 400);
            var id = Guid.NewGuid().ToString("N");
            _flows[id] = new Flow { RedirectUri = redirectUri, State = context.Request.Query["state"].ToString() };
            context.Response.Cookies.Append("flow", id, new CookieOptions { HttpOnly = true, Path = "/" });
            return Html("Sign in", "<h1>Sign in to Demo Health Plan</h1><a href=\"/enroll\">Create an account</a>");
        });

        app.MapGet("/enroll", (HttpContext context) => FlowOf(context) is null ? NoFlow() : Html("Create an account", $"""
            <h1>Create an account</h1>
            <form method="post" action="/enroll">
              <label for="first">First Name</label><input id="first" name="firstName">
              <label for="last">Last Name</label><input id="last" name="lastName">
              <label for="birth">Birthdate</label><input id="birth" name="birthdate" type="{(BirthdateAsDateInput ? "date" : "text")}">
              <label for="member">Member ID</label><input id="member" name="memberId">
              <label for="postal">Postal Code</label><input id="postal" name="postalCode">
              <label for="email">Email</label><input id="email" name="email" type="email">
              <button type="submit">Create account</button>
            </form>
            """));

        app.MapPost("/enroll", async (HttpContext context) =>
        {
            if (FlowOf(context) is not { } flow) return NoFlow();
            foreach (var (name, value) in await context.Request.ReadFormAsync()) flow.Enrollment[name] = value.ToString();
            return SeeOther("/verify");
        });

        app.MapGet("/verify", (HttpContext context) => FlowOf(context) is not { } flow ? NoFlow() : Html("Verify your email", $"""
            <h1>Check your email</h1><p>We sent a code to {WebUtility.HtmlEncode(flow.Enrollment.GetValueOrDefault("email"))}.</p>
            <form method="post" action="/verify">
              <label for="code">Verification Code</label><input id="code" name="code" autocomplete="one-time-code">
              <button type="submit">Verify</button>
            </form>
            """));

        app.MapPost("/verify", async (HttpContext context) =>
        {
            if (FlowOf(context) is not { } flow) return NoFlow();
            flow.VerificationCode = (await context.Request.ReadFormAsync())["code"].ToString();
            if (flow.VerificationCode != ExpectedVerificationCode)
                return Html("Verify your email", "<p role=\"alert\">That code is not valid.</p>", 400);
            // Two hops before the consent page: a 302 answer to a POST, then a 302 of a GET.
            return Results.Redirect("/after-verification");
        });

        app.MapGet("/after-verification", () => Results.Redirect("/consent"));

        app.MapGet("/consent", (HttpContext context) => FlowOf(context) is null ? NoFlow() : Html("Allow access", """
            <h1>Allow Demo Client to read your coverage?</h1>
            <form method="post" action="/consent">
              <button type="submit" name="decision" value="allow">Allow</button>
              <button type="submit" name="decision" value="deny">Deny</button>
            </form>
            """));

        app.MapPost("/consent", async (HttpContext context) =>
        {
            if (FlowOf(context) is not { } flow) return NoFlow();
            var allowed = (await context.Request.ReadFormAsync())["decision"] == "allow";
            var query = allowed
                ? $"code={Code}&state={Uri.EscapeDataString(flow.State)}"
                : $"error=access_denied&error_description={Uri.EscapeDataString("The member denied access")}&state={Uri.EscapeDataString(flow.State)}";
            return SeeOther($"{flow.RedirectUri}?{query}");
        });

        // A redirect_uri reached by a GET chain, without forms: authorize → hop → redirect_uri.
        app.MapGet("/quick-authorize", (HttpContext context) => Results.Redirect($"/quick-hop?state={context.Request.Query["state"]}"));
        app.MapGet("/quick-hop", (HttpContext context) => Results.Redirect($"{RegisteredRedirectUri}?code={Code}&state={context.Request.Query["state"]}"));
    }

    private Flow? FlowOf(HttpContext context) =>
        context.Request.Cookies.TryGetValue("flow", out var id) && id is not null && _flows.TryGetValue(id, out var flow) ? flow : null;

    private static IResult NoFlow() => Html("Error", "<p role=\"alert\">Your session has expired (no flow cookie).</p>", 400);

    private static IResult SeeOther(string location) => new SeeOtherResult(location);

    private static IResult Html(string title, string body, int status = 200) =>
        Results.Content($"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>", "text/html; charset=utf-8", statusCode: status);

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
