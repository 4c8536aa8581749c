using System.Net;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>
/// What the authorization server checks of a request (aud, the PKCE method, the code_verifier), on a clean sandbox and
/// with the fault that removes exactly that check.
/// </summary>
[TestFixture]
public class RequestValidationFaultTests
{
    private const string CounterfeitFhirBase = "https://counterfeit-fhir.example/r4";

    private static async Task<HtmlPage> OpenWithAudAsync(TestSandbox sandbox, SandboxFlow flow, string aud) =>
        await flow.GetAsync(new Uri(QueryHelpers.AddQueryString(flow.AuthorizeUrl(new AuthorizeRequest()).AbsoluteUri, "aud", aud)));

    private static bool OffersSignIn(HtmlPage page) => page.Status == HttpStatusCode.OK && page.HasLink("Create an account");

    [Test, Description("A clean sandbox refuses an aud other than its FHIR base on its own page, and takes its FHIR base (with or without a slash) on to sign-in")]
    public async Task CleanSandbox_RefusesAnotherAud()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var flow = sandbox.NewFlow();

        var refused = await OpenWithAudAsync(sandbox, flow, CounterfeitFhirBase);
        Assert.That((refused.Status, flow.Redirect), Is.EqualTo((HttpStatusCode.BadRequest, (AuthorizationRedirect?)null)));
        Assert.That(refused.VisibleText, Does.Contain("aud"));

        var fhirBase = sandbox.Endpoints.FhirBaseUrl.AbsoluteUri;
        Assert.That(OffersSignIn(await OpenWithAudAsync(sandbox, flow, fhirBase)), Is.True, fhirBase);
        Assert.That(OffersSignIn(await OpenWithAudAsync(sandbox, flow, fhirBase.TrimEnd('/'))), Is.True, fhirBase.TrimEnd('/'));
    }

    [Test, FaultTest("aud-not-checked")]
    [Description("aud-not-checked takes a request for another FHIR server on to sign-in")]
    public async Task AudNotChecked_TakesAnotherAudOnToSignIn()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["aud-not-checked"]);
        using var flow = sandbox.NewFlow();
        Assert.That(OffersSignIn(await OpenWithAudAsync(sandbox, flow, CounterfeitFhirBase)), Is.True);
    }

    private static AuthorizeRequest PlainChallenge() =>
        new() { CodeChallenge = AuthorizeRequest.NewPkce().Verifier, CodeChallengeMethod = "plain" };

    [Test, Description("A clean sandbox refuses code_challenge_method=plain on its own page (SMART: servers SHALL NOT support plain)")]
    public async Task CleanSandbox_RefusesPlainPkce()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var flow = sandbox.NewFlow();
        var page = await flow.OpenAuthorizationAsync(PlainChallenge());
        Assert.That((page.Status, flow.Redirect), Is.EqualTo((HttpStatusCode.BadRequest, (AuthorizationRedirect?)null)));
    }

    [Test, FaultTest("pkce-plain-accepted")]
    [Description("pkce-plain-accepted takes a plain challenge on to sign-in")]
    public async Task PkcePlainAccepted_TakesAPlainChallengeOnToSignIn()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["pkce-plain-accepted"]);
        using var flow = sandbox.NewFlow();
        Assert.That(OffersSignIn(await flow.OpenAuthorizationAsync(PlainChallenge())), Is.True);
    }

    /// <summary>Codes issued for one S256 challenge: exchanged with a wrong verifier, without one, and with the right one.</summary>
    private static async Task<(HttpStatusCode Wrong, HttpStatusCode Missing, HttpStatusCode Right, string? WrongError)> ExchangesAsync(TestSandbox sandbox)
    {
        using var flow = sandbox.NewFlow();
        var (verifier, challenge) = AuthorizeRequest.NewPkce();
        var request = new AuthorizeRequest { CodeChallenge = challenge, CodeChallengeMethod = "S256" };
        var first = await flow.AuthorizeNewMemberAsync(TestMembers.JasonArgonaut, request);
        var wrong = await flow.ExchangeCodeAsync(first.Code!, codeVerifier: AuthorizeRequest.NewPkce().Verifier);
        var missing = await flow.ExchangeCodeAsync((await flow.AuthorizeAgainAsync(request)).Code!);
        var right = await flow.ExchangeCodeAsync((await flow.AuthorizeAgainAsync(request)).Code!, codeVerifier: verifier);
        return (wrong.Status, missing.Status, right.Status, wrong.Error);
    }

    [Test, Description("A clean sandbox refuses a wrong code_verifier with invalid_grant and a missing one, and grants the right one")]
    public async Task CleanSandbox_VerifiesTheCodeVerifier()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.That(await ExchangesAsync(sandbox),
            Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.OK, (string?)"invalid_grant")));
    }

    [Test, FaultTest("pkce-not-verified")]
    [Description("pkce-not-verified grants a code issued for a challenge with a wrong code_verifier and with none")]
    public async Task PkceNotVerified_GrantsAnyVerifier()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["pkce-not-verified"]);
        Assert.That(await ExchangesAsync(sandbox),
            Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, (string?)null)));
    }
}
