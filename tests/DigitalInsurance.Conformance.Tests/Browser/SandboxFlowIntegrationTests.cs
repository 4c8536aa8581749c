using System.Net;
using DemoHealthPlan.Sandbox.Hosting;
using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Mail;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Reporting;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Browser;

/// <summary>
/// The harness's browser, mailbox and OAuth pieces against the embedded sandbox: the member enrols in Chromium, the
/// code arrives at the harness's SMTP listener, the redirect is captured and the code exchanged for tokens.
/// </summary>
public class SandboxFlowIntegrationTests
{
    private static readonly EnrollmentDetails Jason = new("Jason", "Argonaut", "01/01/1986", "08-testmemid", "02114");

    private SmtpInbox _inbox = null!;
    private BrowserHost _browser = null!;
    private EnrollmentPageModel _model = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _inbox = await SmtpInbox.StartAsync(port: 0);
        _browser = await BrowserHost.StartAsync(new BrowserSettings { ActionTimeout = TimeSpan.FromSeconds(20) });
        _model = EnrollmentPageModel.Load(RepositoryFiles.PageModel("sandbox"));
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _browser.DisposeAsync();
        await _inbox.DisposeAsync();
    }

    private Task<SandboxServer> StartSandboxAsync(params string[] faults) =>
        SandboxServer.StartAsync(new SandboxStartOptions { SmtpHost = _inbox.Host, SmtpPort = _inbox.Port, Faults = faults });

    private static AuthorizationRequest NewRequest(SandboxEndpoints endpoints, string scope, Pkce? pkce) => new()
    {
        AuthorizeEndpoint = endpoints.AuthorizeEndpoint,
        ClientId = endpoints.TestClient.ClientId,
        RedirectUri = endpoints.TestClient.RedirectUris[0],
        Scope = scope,
        State = AuthorizationRequest.NewState(),
        Audience = endpoints.FhirBaseUrl.AbsoluteUri.TrimEnd('/'),
        CodeChallenge = pkce?.Challenge,
    };

    private sealed record Launch(AuthorizationRequest Request, Pkce? Pkce, AuthorizationRedirect Redirect, ScenarioEvidence Evidence);

    private async Task<Launch> RunMemberFlowAsync(SandboxServer sandbox, string scope, bool usePkce, bool allow)
    {
        var pkce = usePkce ? Pkce.Create() : null;
        var request = NewRequest(sandbox.Endpoints, scope, pkce);
        var email = $"member+{Guid.NewGuid():N}@dic-conformance.example";
        var evidence = new ScenarioEvidence();
        await using var session = await MemberBrowserSession.StartAsync(_browser, _model, evidence, "sandbox integration");

        await session.OpenAuthorizationPageAsync(request.ToUri());
        var requestedAt = DateTimeOffset.UtcNow;
        await session.CreateAccountAsync(Jason, email);
        var mail = await _inbox.WaitForMailAsync(new MailQuery(email, requestedAt), TimeSpan.FromSeconds(30));
        await session.EnterVerificationCodeAsync(new VerificationCodeExtractor().Extract(mail));
        if (allow) await session.AllowAsync();
        else await session.DenyAsync();
        var redirect = await session.WaitForRedirectAsync();
        await session.StopAsync(failed: false);
        return new Launch(request, pkce, redirect, evidence);
    }

    [Test]
    public async Task A_refused_enrollment_stops_at_once_with_the_page_s_words_a_screenshot_and_the_settings_to_check()
    {
        await using var sandbox = await StartSandboxAsync();
        var request = NewRequest(sandbox.Endpoints, "patient/*.read", Pkce.Create());
        var nobody = Jason with { MemberId = "no-such-member" };
        var evidence = new ScenarioEvidence();
        await using var session = await MemberBrowserSession.StartAsync(_browser, _model, evidence, "refused enrollment");
        await session.OpenAuthorizationPageAsync(request.ToUri());

        // CreateAccountAsync itself fails: the flow never reaches the mailbox.
        var refused = Assert.ThrowsAsync<EnrollmentRefusedException>(() => session.CreateAccountAsync(nobody, $"member+{Guid.NewGuid():N}@dic-conformance.example"))!;
        await session.StopAsync(failed: true);

        Assert.Multiple(() =>
        {
            Assert.That(refused.PageMessage, Does.StartWith("We could not find a member with these details"));
            Assert.That(refused.Message, Does.Contain("after \"Create account\"").And.Contain("memberId \"no-such-member\"")
                .And.Contain("memberFirstName").And.Contain("memberLastName").And.Contain("memberBirthdate").And.Contain("memberPostalCode"));
            Assert.That(refused.Message, Does.Not.Contain("@dic-conformance.example"), "the member's email is a secret");
            Assert.That(evidence.All.Select(e => e.Title), Has.Some.Contains("the payer refused the form after \"Create account\""));
            Assert.That(evidence.All.Last(e => e.MediaType == "image/png").Title, Does.Contain("refused"));
            Assert.That(refused, Is.InstanceOf<DigitalInsurance.Conformance.Support.Runner.IUserFacingError>(), "reported without a stack trace");
        });
    }

    [Test]
    public async Task A_member_enrols_consents_and_the_code_buys_tokens_with_a_valid_id_token()
    {
        await using var sandbox = await StartSandboxAsync();
        var launch = await RunMemberFlowAsync(sandbox, "patient/*.read openid fhirUser", usePkce: true, allow: true);

        Assert.That(launch.Redirect.Error, Is.Null, launch.Redirect.ErrorDescription);
        Assert.That(launch.Redirect.State, Is.EqualTo(launch.Request.State));
        Assert.That(launch.Redirect.Code, Is.Not.Null.And.Not.Empty);
        Assert.That(launch.Redirect.Target, Is.EqualTo(sandbox.Endpoints.TestClient.RedirectUris[0]));
        Assert.That(launch.Evidence.All.Count(e => e.MediaType == "image/png"), Is.EqualTo(6));

        var client = new TokenClient(_http, sandbox.Endpoints.TokenEndpoint, sandbox.Endpoints.TestClient.ClientId, sandbox.Endpoints.TestClient.ClientSecret, TokenAuthMethod.ClientSecretBasic);
        var token = await client.ExchangeCodeAsync(launch.Redirect.Code!, launch.Request.RedirectUri, launch.Pkce!.Verifier);

        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK), token.Body);
        Assert.That(token.AccessToken, Is.Not.Null);
        Assert.That(token.TokenType, Is.EqualTo("Bearer"));
        Assert.That(token.ExpiresIn, Is.GreaterThan(0));
        Assert.That(token.Patient, Is.Not.Null.And.Not.Empty);
        Assert.That(token.CacheControl, Does.Contain("no-store"));

        var verification = await new IdTokenVerifier(_http).VerifyAsync(token.IdToken!, sandbox.Endpoints.BaseUrl.AbsoluteUri, sandbox.Endpoints.TestClient.ClientId);
        Assert.That(verification.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}"), Is.Empty);

        var reused = await client.ExchangeCodeAsync(launch.Redirect.Code!, launch.Request.RedirectUri, launch.Pkce.Verifier);
        Assert.That(reused.Error, Is.EqualTo("invalid_grant"), "a code works once");
    }

    [Test]
    public async Task Deny_redirects_with_access_denied_and_the_state()
    {
        await using var sandbox = await StartSandboxAsync();
        var launch = await RunMemberFlowAsync(sandbox, "patient/*.read", usePkce: false, allow: false);

        Assert.That(launch.Redirect.Error, Is.EqualTo("access_denied"));
        Assert.That(launch.Redirect.State, Is.EqualTo(launch.Request.State));
        Assert.That(launch.Redirect.Code, Is.Null);
    }

    [Test]
    public async Task An_id_token_the_sandbox_signs_with_an_unpublished_key_fails_the_signature_check()
    {
        await using var sandbox = await StartSandboxAsync("idtoken-bad-signature");
        var launch = await RunMemberFlowAsync(sandbox, "patient/*.read openid fhirUser", usePkce: false, allow: true);
        var client = new TokenClient(_http, sandbox.Endpoints.TokenEndpoint, sandbox.Endpoints.TestClient.ClientId, sandbox.Endpoints.TestClient.ClientSecret, TokenAuthMethod.ClientSecretPost);
        var token = await client.ExchangeCodeAsync(launch.Redirect.Code!, launch.Request.RedirectUri, null);

        var verification = await new IdTokenVerifier(_http).VerifyAsync(token.IdToken!, sandbox.Endpoints.BaseUrl.AbsoluteUri, sandbox.Endpoints.TestClient.ClientId);

        Assert.That(verification.Checks.Where(c => !c.Passed).Select(c => c.Name), Is.EquivalentTo(new[] { IdTokenVerifier.Signature }));
    }
}
