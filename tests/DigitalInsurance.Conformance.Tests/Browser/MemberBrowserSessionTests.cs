using System.IO.Compression;
using System.Text;
using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Reporting;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Browser;

/// <summary>The member's flow through real Chromium against fake payer pages that end in a redirect to an unserved redirect_uri.</summary>
public class MemberBrowserSessionTests
{
    private static readonly EnrollmentDetails Jason = new("Jason", "Argonaut", "01/01/1986", "08-testmemid", "02114");

    private BrowserHost _host = null!;
    private FakePayerPages _pages = null!;
    private EnrollmentPageModel _sandboxModel = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await BrowserHost.StartAsync(new BrowserSettings { ActionTimeout = TimeSpan.FromSeconds(10) });
        _pages = await FakePayerPages.StartAsync();
        _sandboxModel = EnrollmentPageModel.Load(RepositoryFiles.PageModel("sandbox"));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _pages.DisposeAsync();
        await _host.DisposeAsync();
    }

    private static string UniqueEmail() => $"member+{Guid.NewGuid():N}@dic-conformance.example";

    [Test]
    public void The_host_reports_the_browser_it_drives()
    {
        Assert.That(_host.BrowserVersion, Does.Match(@"^Chromium \d+\.\d+"));
        Assert.That(File.Exists(_host.ExecutablePath), Is.True);
    }

    [Test]
    public async Task The_whole_flow_ends_in_a_captured_redirect_with_code_and_state()
    {
        var evidence = new ScenarioEvidence();
        var email = UniqueEmail();
        await using var session = await MemberBrowserSession.StartAsync(_host, _sandboxModel, evidence);

        await session.OpenAuthorizationPageAsync(_pages.AuthorizeUrl("state-full-flow"));
        await session.CreateAccountAsync(Jason, email);
        await session.EnterVerificationCodeAsync(_pages.ExpectedVerificationCode);
        Assert.That(session.Redirect, Is.Null, "no redirect before consent");
        await session.AllowAsync();
        var redirect = await session.WaitForRedirectAsync();

        Assert.Multiple(() =>
        {
            Assert.That(redirect.Code, Is.EqualTo(FakePayerPages.Code));
            Assert.That(redirect.State, Is.EqualTo("state-full-flow"));
            Assert.That(redirect.Error, Is.Null);
            Assert.That(redirect.Target.AbsoluteUri, Is.EqualTo(FakePayerPages.RegisteredRedirectUri));
            Assert.That(redirect.RedactedUri, Does.StartWith(FakePayerPages.RegisteredRedirectUri).And.Not.Contain(FakePayerPages.Code));
            Assert.That(session.Redirect, Is.SameAs(redirect));
        });

        var flow = _pages.Flows.Single(f => f.State == "state-full-flow");
        Assert.That(flow.Enrollment, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["firstName"] = "Jason", ["lastName"] = "Argonaut", ["birthdate"] = "01/01/1986",
            ["memberId"] = "08-testmemid", ["postalCode"] = "02114", ["email"] = email,
        }));
        Assert.That(flow.VerificationCode, Is.EqualTo(_pages.ExpectedVerificationCode));

        var screenshots = evidence.All.Where(e => e.MediaType == "image/png").ToList();
        Assert.That(screenshots, Has.Count.EqualTo(6), "a screenshot after each of the six actions");
        Assert.That(screenshots.Select(s => s.Title), Has.Some.Contains("enrollment form filled"));
        Assert.That(await session.PageTextAsync(), Does.Contain("Redirect captured"));
    }

    [Test]
    public async Task Deny_ends_in_a_captured_error_redirect()
    {
        await using var session = await MemberBrowserSession.StartAsync(_host, _sandboxModel, new ScenarioEvidence());
        await session.OpenAuthorizationPageAsync(_pages.AuthorizeUrl("state-deny"));
        await session.CreateAccountAsync(Jason, UniqueEmail());
        await session.EnterVerificationCodeAsync(_pages.ExpectedVerificationCode);
        await session.DenyAsync();
        var redirect = await session.WaitForRedirectAsync();

        Assert.That(redirect.Error, Is.EqualTo("access_denied"));
        Assert.That(redirect.ErrorDescription, Is.EqualTo("The member denied access"));
        Assert.That(redirect.State, Is.EqualTo("state-deny"));
        Assert.That(redirect.Code, Is.Null);
    }

    [Test]
    public async Task A_redirect_reached_through_a_chain_of_GET_redirects_is_captured()
    {
        await using var session = await MemberBrowserSession.StartAsync(_host, _sandboxModel, new ScenarioEvidence());
        var url = new Uri(_pages.BaseUrl, $"quick-authorize?state=chain&redirect_uri={Uri.EscapeDataString(FakePayerPages.RegisteredRedirectUri)}");
        await session.OpenAuthorizationPageAsync(url);

        var redirect = await session.WaitForRedirectAsync();
        Assert.That((redirect.Code, redirect.State), Is.EqualTo((FakePayerPages.Code, "chain")));
    }

    [Test]
    public async Task A_redirect_uri_given_explicitly_is_watched_when_the_URL_has_none()
    {
        await using var session = await MemberBrowserSession.StartAsync(_host, _sandboxModel, new ScenarioEvidence());
        await session.OpenAuthorizationPageAsync(new Uri(_pages.BaseUrl, "quick-authorize?state=explicit"), new Uri(FakePayerPages.RegisteredRedirectUri));

        var redirect = await session.WaitForRedirectAsync();
        Assert.That((redirect.Code, redirect.State), Is.EqualTo((FakePayerPages.Code, "explicit")));
    }

    [Test]
    public async Task Navigating_to_the_redirect_uri_directly_is_captured_too()
    {
        await using var session = await MemberBrowserSession.StartAsync(_host, _sandboxModel, new ScenarioEvidence());
        var url = new Uri($"{FakePayerPages.RegisteredRedirectUri}?error=invalid_scope&state=direct&redirect_uri={Uri.EscapeDataString(FakePayerPages.RegisteredRedirectUri)}");
        await session.OpenAuthorizationPageAsync(url);

        var redirect = await session.WaitForRedirectAsync();
        Assert.That((redirect.Error, redirect.State), Is.EqualTo(("invalid_scope", "direct")));
    }

    [Test]
    public async Task An_unregistered_redirect_uri_shows_the_error_page_and_no_redirect_happens()
    {
        await using var session = await MemberBrowserSession.StartAsync(_host, _sandboxModel, new ScenarioEvidence());
        await session.OpenAuthorizationPageAsync(_pages.AuthorizeUrl("state-bad-redirect", redirectUri: "https://attacker.example.invalid/steal"));

        Assert.That(await session.VisibleErrorTextAsync(), Is.EqualTo("The redirect_uri is not registered for this client."));
        Assert.That(session.Redirect, Is.Null);
        Assert.That(await session.TitleAsync(), Is.EqualTo("Error"));
    }

    [Test]
    public async Task Waiting_for_a_redirect_that_never_comes_says_what_the_browser_shows()
    {
        await using var session = await MemberBrowserSession.StartAsync(_host, _sandboxModel, new ScenarioEvidence());
        await session.OpenAuthorizationPageAsync(_pages.AuthorizeUrl("state-no-redirect", redirectUri: "https://attacker.example.invalid/steal"));

        var error = Assert.ThrowsAsync<BrowserFlowException>(() => session.WaitForRedirectAsync(TimeSpan.FromSeconds(1)));
        Assert.That(error!.Message, Does.StartWith("The authorization server did not redirect to https://attacker.example.invalid/steal within 1 s"));
        Assert.That(error.Message, Does.Contain("'Error'").And.Contain("The redirect_uri is not registered"));
    }

    [Test]
    public async Task A_label_the_page_does_not_have_fails_with_element_not_found()
    {
        var wrongModel = _sandboxModel with { Enrollment = _sandboxModel.Enrollment with { FirstName = "Given Name" } };
        var evidence = new ScenarioEvidence();
        await using var session = await MemberBrowserSession.StartAsync(_host, wrongModel, evidence);
        await session.OpenAuthorizationPageAsync(_pages.AuthorizeUrl("state-wrong-model"));

        var error = Assert.ThrowsAsync<BrowserFlowException>(() => session.CreateAccountAsync(Jason, UniqueEmail()));
        Assert.That(error!.Message, Does.StartWith("element not found: Given Name on enrollment page"));
        Assert.That(error.Message, Does.Not.Contain("Timeout").And.Not.Contain("waiting for"));
        Assert.That(evidence.All.Select(e => e.Title), Has.Some.Contains("element not found: Given Name"));
    }

    [Test]
    public async Task A_native_date_input_gets_the_birthdate_in_ISO_form()
    {
        _pages.BirthdateAsDateInput = true;
        try
        {
            await using var session = await MemberBrowserSession.StartAsync(_host, _sandboxModel, new ScenarioEvidence());
            await session.OpenAuthorizationPageAsync(_pages.AuthorizeUrl("state-date-input"));
            await session.CreateAccountAsync(Jason, UniqueEmail());
        }
        finally
        {
            _pages.BirthdateAsDateInput = false;
        }
        Assert.That(_pages.Flows.Single(f => f.State == "state-date-input").Enrollment["birthdate"], Is.EqualTo("1986-01-01"));
    }

    [Test]
    public async Task A_failed_scenario_keeps_a_trace_without_the_email_or_the_codes()
    {
        var evidence = new ScenarioEvidence();
        var email = UniqueEmail();
        await using (var session = await MemberBrowserSession.StartAsync(_host, _sandboxModel, evidence))
        {
            await session.OpenAuthorizationPageAsync(_pages.AuthorizeUrl("state-trace"));
            await session.CreateAccountAsync(Jason, email);
            await session.EnterVerificationCodeAsync(_pages.ExpectedVerificationCode);
            await session.AllowAsync();
            await session.WaitForRedirectAsync();
            await session.StopAsync(failed: true);
        }

        var trace = evidence.All.Single(e => e.MediaType == "application/zip");
        using var zip = new ZipArchive(new MemoryStream(trace.Content));
        Assert.That(zip.Entries.Select(e => e.FullName), Has.Some.EndsWith(".trace"));
        var allText = new StringBuilder();
        foreach (var entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            allText.Append(await reader.ReadToEndAsync());
        }
        var text = allText.ToString();
        Assert.That(text, Does.Contain("[redacted member email]"), "the typed email was in the trace and got redacted");
        foreach (var secret in new[] { email, Uri.EscapeDataString(email), _pages.ExpectedVerificationCode, FakePayerPages.Code })
            Assert.That(text, Does.Not.Contain(secret));
    }

    [Test]
    public async Task A_passed_scenario_keeps_its_trace_by_default()
    {
        var evidence = new ScenarioEvidence();
        await using (var session = await MemberBrowserSession.StartAsync(_host, _sandboxModel, evidence))
        {
            await session.OpenAuthorizationPageAsync(_pages.AuthorizeUrl("state-passed"));
            await session.StopAsync(failed: false);
        }
        var trace = evidence.All.Single(e => e.MediaType == "application/zip");
        using var zip = new ZipArchive(new MemoryStream(trace.Content));
        Assert.That(zip.Entries.Select(e => e.FullName), Has.Some.EndsWith(".trace"));
    }

    [Test]
    public async Task With_browserTraces_failed_a_passed_scenario_keeps_no_trace()
    {
        await using var host = await BrowserHost.StartAsync(new BrowserSettings { ActionTimeout = TimeSpan.FromSeconds(10), Traces = TraceRetention.Failed });
        var evidence = new ScenarioEvidence();
        await using (var session = await MemberBrowserSession.StartAsync(host, _sandboxModel, evidence))
        {
            await session.OpenAuthorizationPageAsync(_pages.AuthorizeUrl("state-passed"));
            await session.StopAsync(failed: false);
        }
        Assert.That(evidence.All.Where(e => e.MediaType == "application/zip"), Is.Empty);
    }
}
