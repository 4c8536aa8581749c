using System.Net;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>Requests the sandbox cannot trust to redirect get an HTML error page (400), never a redirect.</summary>
[TestFixture]
public class AuthorizationErrorPageTests
{
    private TestSandbox _sandbox = null!;

    [OneTimeSetUp]
    public async Task Start() => _sandbox = await TestSandbox.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _sandbox.DisposeAsync();

    [Test, Description("An unknown client_id gets a 400 HTML page naming the problem, not a redirect")]
    public async Task UnknownClient_GetsErrorPage()
    {
        using var flow = _sandbox.NewFlow();
        var page = await flow.OpenAuthorizationAsync(new AuthorizeRequest { ClientId = "no-such-client" });
        AssertErrorPage(flow, page, "client_id");
    }

    [Test, Description("A redirect_uri not registered for the client gets a 400 HTML page, not a redirect to it")]
    public async Task UnregisteredRedirectUri_GetsErrorPage()
    {
        using var flow = _sandbox.NewFlow();
        var page = await flow.OpenAuthorizationAsync(new AuthorizeRequest { RedirectUri = "https://attacker.example/callback" });
        AssertErrorPage(flow, page, "redirect_uri");
    }

    [Test, Description("An unsupported response_type gets the error page too")]
    public async Task UnsupportedResponseType_GetsErrorPage()
    {
        using var flow = _sandbox.NewFlow();
        var page = await flow.OpenAuthorizationAsync(new AuthorizeRequest { ResponseType = "token" });
        AssertErrorPage(flow, page, "response_type");
    }

    [Test, Description("Enrollment pages refuse a return URL that does not lead back to the authorization endpoint")]
    public async Task EnrollmentPage_RefusesForeignReturnUrl()
    {
        using var flow = _sandbox.NewFlow();
        var page = await flow.GetAsync(new Uri(_sandbox.Endpoints.BaseUrl, "account/create?returnUrl=" + Uri.EscapeDataString("https://attacker.example/")));
        Assert.That(page.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(page.Html, Does.Not.Contain("attacker.example"));
    }

    private static void AssertErrorPage(SandboxFlow flow, HtmlPage page, string parameter)
    {
        Assert.That(flow.Redirect, Is.Null, "no redirect");
        Assert.That(page.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(page.Html, Does.StartWith("<!DOCTYPE html>"));
        Assert.That(page.Alert, Does.Contain(parameter));
        Assert.That(page.Forms, Is.Empty, "nothing to sign in to");
    }
}
