using System.Net;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>
/// Creating an account, verifying the emailed code and signing in again, with their error paths. The members come
/// from a directory the test defines, so these rules do not depend on the FHIR data set.
/// </summary>
[TestFixture]
public class EnrollmentTests
{
    private const int MaxAttempts = 3;
    private static readonly TestMember Ada = new("Ada", "Lovelace", new DateOnly(1990, 12, 10), "DHP-1815-1210", "10001");
    private static readonly TestMemberDirectory Members = new((TestMembers.JasonArgonaut, "jason-argonaut"), (Ada, "ada-lovelace"));

    private TestSandbox _sandbox = null!;

    [OneTimeSetUp]
    public async Task Start() => _sandbox = await TestSandbox.StartAsync(members: Members,
        settings: new Dictionary<string, string?> { ["Sandbox:MaxVerificationAttempts"] = MaxAttempts.ToString() });

    [OneTimeTearDown]
    public async Task Stop() => await _sandbox.DisposeAsync();

    [Test, Description("The create-account form has exactly the labelled fields members know from the card, and a Create account button")]
    public async Task CreateAccountForm_HasTheLabelledFields()
    {
        using var flow = _sandbox.NewFlow();
        await flow.OpenAuthorizationAsync(new AuthorizeRequest());
        var page = await flow.GetAsync(flow.CurrentPage!.Link("Create an account"));

        var form = page.FormWithButton("Create account");
        Assert.That(form.Labels, Is.EqualTo(new[] { "First Name", "Last Name", "Birthdate", "Member ID", "Postal Code", "Email" }));
        Assert.That(page.VisibleText, Does.Contain("MM/DD/YYYY"));
    }

    [Test, Description("Details matching no member: a clear message, the form kept as typed")]
    public async Task NoMatchingMember_IsExplainedAndFormKept()
    {
        using var flow = _sandbox.NewFlow();
        var email = SandboxFlow.NewEmail();
        await flow.OpenAuthorizationAsync(new AuthorizeRequest());
        var page = await flow.CreateAccountAsync(TestMembers.JasonArgonaut with { PostalCode = "99999" }, email);

        Assert.That(page.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(page.Alert, Does.Contain("could not find a member"));
        var form = page.FormWithButton("Create account");
        Assert.That(form.ValueOf("First Name"), Is.EqualTo("Jason"));
        Assert.That(form.ValueOf("Birthdate"), Is.EqualTo("01/01/1986"));
        Assert.That(form.ValueOf("Postal Code"), Is.EqualTo("99999"));
        Assert.That(form.ValueOf("Email"), Is.EqualTo(email));
        Assert.That(_sandbox.Mail.MessagesTo(email), Is.Empty, "no code is sent");
    }

    [Test, Description("A birthdate not in MM/DD/YYYY form is explained")]
    public async Task MalformedBirthdate_IsExplained()
    {
        using var flow = _sandbox.NewFlow();
        await flow.OpenAuthorizationAsync(new AuthorizeRequest());
        await flow.GetAsync(flow.CurrentPage!.Link("Create an account"));
        var form = flow.CurrentPage!.FormWithButton("Create account")
            .Fill("First Name", "Jason").Fill("Last Name", "Argonaut").Fill("Birthdate", "1st of January 1986")
            .Fill("Member ID", "08-testmemid").Fill("Postal Code", "02114").Fill("Email", SandboxFlow.NewEmail());
        var page = await flow.SubmitAsync(form, "Create account");

        Assert.That(page.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(page.Alert, Does.Contain("MM/DD/YYYY"));
    }

    [Test, Description("Names and member ID match case-insensitively and trimmed, as the directory contract says")]
    public async Task MemberDetails_MatchCaseInsensitively()
    {
        using var flow = _sandbox.NewFlow();
        var redirect = await flow.AuthorizeNewMemberAsync(new TestMember(" jason ", "ARGONAUT", new DateOnly(1986, 1, 1), "08-TESTMEMID", "02114"));
        var token = await flow.ExchangeCodeAsync(redirect.Code!);
        Assert.That(token.Patient, Is.EqualTo("jason-argonaut"));
    }

    [Test, Description("An email already linked to another member's account is refused")]
    public async Task EmailOfAnotherMember_IsRefused()
    {
        var email = SandboxFlow.NewEmail();
        using (var jason = _sandbox.NewFlow())
            await jason.AuthorizeNewMemberAsync(TestMembers.JasonArgonaut, email: email);

        using var ada = _sandbox.NewFlow();
        await ada.OpenAuthorizationAsync(new AuthorizeRequest());
        var page = await ada.CreateAccountAsync(Ada, email);

        Assert.That(page.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(page.Alert, Does.Contain("already linked to another member"));
        Assert.That(_sandbox.Mail.MessagesTo(email), Has.Count.EqualTo(1), "only Jason's code was ever sent");
    }

    [Test, Description("A wrong code is explained with the tries left; the right code still works afterwards")]
    public async Task WrongCode_IsExplainedWithTriesLeft()
    {
        using var flow = _sandbox.NewFlow();
        var email = SandboxFlow.NewEmail();
        await flow.OpenAuthorizationAsync(new AuthorizeRequest());
        await flow.CreateAccountAsync(Ada, email);
        var code = await _sandbox.Mail.WaitForVerificationCodeAsync(email);

        var wrong = await flow.EnterCodeAsync(OtherCode(code));
        Assert.That(wrong.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(wrong.Alert, Does.Contain("not correct").And.Contain($"{MaxAttempts - 1} tries left"));

        var consent = await flow.EnterCodeAsync(code);
        Assert.That(consent.FormWithButton("Allow"), Is.Not.Null);
    }

    [Test, Description("After MaxVerificationAttempts wrong codes the member must start over; the old code is dead")]
    public async Task TooManyWrongCodes_MeansStartOver()
    {
        using var flow = _sandbox.NewFlow();
        var email = SandboxFlow.NewEmail();
        await flow.OpenAuthorizationAsync(new AuthorizeRequest());
        var verifyPage = await flow.CreateAccountAsync(Ada, email);
        var verifyForm = verifyPage.FormWithButton("Verify");
        var code = await _sandbox.Mail.WaitForVerificationCodeAsync(email);

        HtmlPage page = verifyPage;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++) page = await flow.EnterCodeAsync(OtherCode(code));

        Assert.That(page.Heading, Is.EqualTo("Too many incorrect codes"));
        Assert.That(page.Alert, Does.Contain("Start over"));
        var again = await flow.SubmitAsync(verifyForm.Fill("Verification Code", code), "Verify");
        Assert.That(again.Forms.Any(f => f.Buttons.Any(b => b.Text == "Allow")), Is.False, "the right code no longer signs in");
        Assert.That(again.Alert, Does.Contain("no longer valid"));

        var restart = await flow.GetAsync(page.Link("Start over"));
        Assert.That(restart.HasLink("Create an account"), "start over leads back to the sign-in page");
    }

    [Test, Description("A verification code expires after VerificationCodeLifetime")]
    public async Task VerificationCode_Expires()
    {
        using var flow = _sandbox.NewFlow();
        var email = SandboxFlow.NewEmail();
        await flow.OpenAuthorizationAsync(new AuthorizeRequest());
        await flow.CreateAccountAsync(Ada, email);
        var code = await _sandbox.Mail.WaitForVerificationCodeAsync(email);

        _sandbox.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var page = await flow.EnterCodeAsync(code);

        Assert.That(page.Heading, Is.EqualTo("Your code has expired"));
        Assert.That(page.Forms.Any(f => f.Buttons.Any(b => b.Text == "Allow")), Is.False);
    }

    [Test, Description("A returning member signs in with their email and a new code, and gets a token for their Patient")]
    public async Task ReturningMember_SignsInWithNewCode()
    {
        var email = SandboxFlow.NewEmail();
        using (var first = _sandbox.NewFlow())
            await first.AuthorizeNewMemberAsync(Ada, email: email);

        using var later = _sandbox.NewFlow();
        await later.OpenAuthorizationAsync(new AuthorizeRequest());
        var verify = await later.SignInAsync(email.ToUpperInvariant());
        Assert.That(verify.FormWithButton("Verify").Labels, Is.EquivalentTo(new[] { "Verification Code" }));
        var code = await _sandbox.Mail.WaitForVerificationCodeAsync(email, previousMessages: 1);
        await later.EnterCodeAsync(code);
        var redirect = await later.DecideAsync(allow: true);
        var token = await later.ExchangeCodeAsync(redirect.Code!);

        Assert.That(token.Patient, Is.EqualTo("ada-lovelace"));
    }

    [Test, Description("Signing in with an email no account uses is explained")]
    public async Task SignInWithUnknownEmail_IsExplained()
    {
        using var flow = _sandbox.NewFlow();
        var email = SandboxFlow.NewEmail();
        await flow.OpenAuthorizationAsync(new AuthorizeRequest());
        var page = await flow.SignInAsync(email);

        Assert.That(page.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(page.Alert, Does.Contain("No account uses this email"));
        Assert.That(page.HasLink("Create an account"));
        Assert.That(_sandbox.Mail.MessagesTo(email), Is.Empty);
    }

    [Test, Description("A form posted without the page's anti-forgery token is refused")]
    public async Task FormWithoutAntiforgeryToken_IsRefused()
    {
        using var flow = _sandbox.NewFlow();
        await flow.OpenAuthorizationAsync(new AuthorizeRequest());
        var form = flow.CurrentPage!.FormWithButton("Sign in").Fill("Email", SandboxFlow.NewEmail()).Set("__RequestVerificationToken", "forged");
        var page = await flow.SubmitAsync(form, "Sign in");

        Assert.That(page.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(page.Heading, Is.EqualTo("Your session has expired"));
    }

    private static string OtherCode(string code) => code == "000000" ? "111111" : "000000";
}

/// <summary>Mail delivery failure is reported on the page, naming where delivery was attempted.</summary>
[TestFixture]
public class MailDeliveryFailureTests
{
    [Test, Description("With no SMTP server listening, the member sees that mail could not be delivered to host:port, no stack trace")]
    public async Task UnreachableSmtpServer_IsReportedOnThePage()
    {
        var closedPort = ClosedPort();
        await using var sandbox = await TestSandbox.StartAsync(smtpPort: closedPort);
        using var flow = sandbox.NewFlow();
        await flow.OpenAuthorizationAsync(new AuthorizeRequest());
        var page = await flow.CreateAccountAsync(TestMembers.JasonArgonaut, SandboxFlow.NewEmail());

        Assert.That(page.Status, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(page.Alert, Does.Contain($"could not be delivered to 127.0.0.1:{closedPort}"));
        Assert.That(page.Html, Does.Not.Contain(" at DemoHealthPlan").And.Not.Contain("Exception"));
    }

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
