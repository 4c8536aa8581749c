using DemoHealthPlan.Sandbox.Hosting;
using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Mail;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Reporting;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Browser;

/// <summary>
/// The enrollment pages are data: the sandbox started with other wording and a terms page (its Sandbox:Pages settings)
/// is walked through by the page model that names that wording, and a model that does not fits fails naming the label
/// and the page it did not find.
/// </summary>
public class PageModelLabelsTests
{
    private static readonly EnrollmentDetails Jason = new("Jason", "Argonaut", "01/01/1986", "08-testmemid", "02114");

    private static readonly Dictionary<string, string?> RewordedPages = new()
    {
        ["Sandbox:Pages:CreateAccountLink"] = "Register for online access",
        ["Sandbox:Pages:FirstName"] = "Given name",
        ["Sandbox:Pages:LastName"] = "Family name",
        ["Sandbox:Pages:Birthdate"] = "Date of birth",
        ["Sandbox:Pages:MemberId"] = "Subscriber number",
        ["Sandbox:Pages:PostalCode"] = "ZIP code",
        ["Sandbox:Pages:Email"] = "Email address",
        ["Sandbox:Pages:CreateAccountButton"] = "Register",
        ["Sandbox:Pages:VerificationCode"] = "One-time code",
        ["Sandbox:Pages:VerifyButton"] = "Confirm",
        ["Sandbox:Pages:AllowButton"] = "Share my information",
        ["Sandbox:Pages:DenyButton"] = "Do not share",
        ["Sandbox:Pages:TermsOfUse"] = "true",
        ["Sandbox:Pages:TermsAgreement"] = "I accept the member terms",
        ["Sandbox:Pages:TermsContinueButton"] = "Accept and continue",
    };

    private const string RewordedModel = """
        {
          "name": "reworded sandbox",
          "exactMatch": true,
          "signIn": { "page": "welcome page", "createAccount": { "name": "Register for online access", "role": "link" } },
          "enrollment": {
            "page": "registration page",
            "firstName": "Given name", "lastName": "Family name", "birthdate": "Date of birth",
            "memberId": "Subscriber number", "postalCode": "ZIP code", "email": "Email address",
            "submit": { "name": "Register", "role": "button" }
          },
          "verification": { "page": "code page", "code": "One-time code", "submit": { "name": "Confirm", "role": "button" } },
          "consent": { "page": "sharing page", "allow": { "name": "Share my information" }, "deny": { "name": "Do not share" } },
          "extraSteps": [
            { "page": "member terms page", "before": "consent", "check": [ "I accept the member terms" ], "submit": { "name": "Accept and continue" } }
          ]
        }
        """;

    private SmtpInbox _inbox = null!;
    private BrowserHost _browser = null!;
    private BrowserHost _impatientBrowser = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _inbox = await SmtpInbox.StartAsync(port: 0);
        _browser = await BrowserHost.StartAsync(new BrowserSettings { ActionTimeout = TimeSpan.FromSeconds(20) });
        // For flows that must fail: a missing element is reported after this wait.
        _impatientBrowser = await BrowserHost.StartAsync(new BrowserSettings { ActionTimeout = TimeSpan.FromSeconds(6) });
        _folder = Directory.CreateTempSubdirectory("dic-page-models-").FullName;
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _impatientBrowser.DisposeAsync();
        await _browser.DisposeAsync();
        await _inbox.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<SandboxServer> StartSandboxAsync(IReadOnlyDictionary<string, string?> pages)
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxStartOptions { SmtpHost = _inbox.Host, SmtpPort = _inbox.Port, Settings = pages });
        // A fresh sandbox answers its first authorization request slowly (keys, database): not the browser's wait to spend.
        using var http = new HttpClient();
        using var _ = await http.GetAsync(sandbox.Endpoints.AuthorizeEndpoint);
        return sandbox;
    }

    /// <summary>The model as a file, loaded the way the pageModel setting loads it.</summary>
    private EnrollmentPageModel ModelFile(string json)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return EnrollmentPageModel.Load(path);
    }

    private async Task<(AuthorizationRedirect Redirect, ScenarioEvidence Evidence)> RunMemberFlowAsync(SandboxServer sandbox, BrowserHost browser, EnrollmentPageModel model)
    {
        var endpoints = sandbox.Endpoints;
        var request = new AuthorizationRequest
        {
            AuthorizeEndpoint = endpoints.AuthorizeEndpoint,
            ClientId = endpoints.TestClient.ClientId,
            RedirectUri = endpoints.TestClient.RedirectUris[0],
            Scope = "patient/*.read",
            State = AuthorizationRequest.NewState(),
            Audience = endpoints.FhirBaseUrl.AbsoluteUri.TrimEnd('/'),
        };
        var email = $"member+{Guid.NewGuid():N}@dic-conformance.example";
        var evidence = new ScenarioEvidence();
        await using var session = await MemberBrowserSession.StartAsync(browser, model, evidence, "page model test");
        await session.OpenAuthorizationPageAsync(request.ToUri());
        var requestedAt = DateTimeOffset.UtcNow;
        await session.CreateAccountAsync(Jason, email);
        var mail = await _inbox.WaitForMailAsync(new MailQuery(email, requestedAt), TimeSpan.FromSeconds(30));
        await session.EnterVerificationCodeAsync(new VerificationCodeExtractor().Extract(mail));
        await session.AllowAsync();
        var redirect = await session.WaitForRedirectAsync();
        Assert.That(redirect.State, Is.EqualTo(request.State));
        return (redirect, evidence);
    }

    [Test]
    public async Task Reworded_pages_with_a_terms_page_pass_with_the_model_that_names_their_wording()
    {
        await using var sandbox = await StartSandboxAsync(RewordedPages);

        var (redirect, evidence) = await RunMemberFlowAsync(sandbox, _browser, ModelFile(RewordedModel));

        Assert.That(redirect.Error, Is.Null, redirect.ErrorDescription);
        Assert.That(redirect.Code, Is.Not.Null.And.Not.Empty);
        Assert.That(evidence.All.Select(e => e.Title), Has.Some.Contains("member terms page"), "the terms step left a screenshot");
    }

    [Test]
    public async Task Reworded_pages_fail_with_the_sandbox_model_naming_the_label_and_page_not_found()
    {
        await using var sandbox = await StartSandboxAsync(RewordedPages);

        var error = Assert.ThrowsAsync<BrowserFlowException>(() => RunMemberFlowAsync(sandbox, _impatientBrowser, EnrollmentPageModel.Load(RepositoryFiles.PageModel("sandbox"))));

        Assert.That(error!.Message, Does.StartWith("element not found: Create an account on sign-in page"));
    }

    [Test]
    public async Task A_terms_page_the_model_does_not_know_fails_at_the_consent_button()
    {
        await using var sandbox = await StartSandboxAsync(new Dictionary<string, string?> { ["Sandbox:Pages:TermsOfUse"] = "true" });
        var withoutSteps = EnrollmentPageModel.Load(RepositoryFiles.PageModel("sandbox")) with { ExtraSteps = [] };

        var error = Assert.ThrowsAsync<BrowserFlowException>(() => RunMemberFlowAsync(sandbox, _impatientBrowser, withoutSteps));

        Assert.That(error!.Message, Does.StartWith("element not found: Allow on consent page"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task The_shipped_sandbox_model_passes_an_optional_terms_page_whether_or_not_it_is_shown(bool termsOfUse)
    {
        await using var sandbox = await StartSandboxAsync(new Dictionary<string, string?> { ["Sandbox:Pages:TermsOfUse"] = termsOfUse.ToString() });

        var (redirect, evidence) = await RunMemberFlowAsync(sandbox, _browser, EnrollmentPageModel.Load(RepositoryFiles.PageModel("sandbox")));

        Assert.That(redirect.Code, Is.Not.Null.And.Not.Empty);
        Assert.That(evidence.All.Any(e => e.Title.Contains("terms page")), Is.EqualTo(termsOfUse));
    }

    [Test]
    public void An_extra_step_without_its_place_or_control_is_reported()
    {
        var json = File.ReadAllText(RepositoryFiles.PageModel("sandbox"))
            .Replace("\"before\": \"consent\",", "")
            .Replace("\"submit\": { \"name\": \"Continue\", \"role\": \"button\" }", "\"submit\": { \"name\": \"\" }");

        var error = Assert.Throws<BrowserFlowException>(() => EnrollmentPageModel.Parse(json, "steps.json"));

        Assert.That(error!.Message, Is.EqualTo("The enrollment page model steps.json lacks extraSteps[0].before (enrollment, verification or consent), extraSteps[0].submit."));
    }
}
