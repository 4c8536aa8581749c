using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Redaction;
using DigitalInsurance.Conformance.Support.Reporting;
using Microsoft.Playwright;

namespace DigitalInsurance.Conformance.Support.Browser;

/// <summary>
/// One scenario's member at the browser (scenario-scoped): a fresh browser context, traced, walking the enrollment
/// pages step by step. Every action leaves a screenshot in the scenario's evidence with the email and code masked.
/// The authorization server's final redirect to redirect_uri is captured here, so nothing needs to listen there.
/// </summary>
public sealed partial class MemberBrowserSession : IAsyncDisposable
{
    private const string CapturedPageHtml =
        "<!doctype html><html><head><title>Redirect captured</title></head><body><h1>Redirect captured</h1>" +
        "<p>The authorization server sent the browser to the client's redirect_uri. The conformance harness captured the redirect; nothing is served there.</p></body></html>";

    private readonly IBrowserContext _context;
    private readonly IPage _page;
    private readonly EnrollmentPageModel _model;
    private readonly ScenarioEvidence _evidence;
    private readonly TimeSpan _timeout;
    private static readonly TimeSpan LoadStateSlice = TimeSpan.FromSeconds(1);
    private readonly TraceRetention _traces;
    private readonly TaskCompletionSource<AuthorizationRedirect> _redirect = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _knownSecrets = [];
    private EnrollmentDetails? _member;
    private Uri? _redirectTarget;
    private ICDPSession? _cdp;
    private int _screenshotCount;
    private bool _stopped;

    private MemberBrowserSession(IBrowserContext context, IPage page, EnrollmentPageModel model, ScenarioEvidence evidence, TimeSpan timeout, TraceRetention traces)
    {
        _context = context;
        _page = page;
        _model = model;
        _evidence = evidence;
        _timeout = timeout;
        _traces = traces;
    }

    /// <param name="signedInState">
    /// The cookies and storage of an earlier session of the same member (<see cref="SignedInStateAsync"/>): the new
    /// context starts as that member's browser, still signed in where the payer keeps a session. Null: a fresh browser.
    /// </param>
    public static async Task<MemberBrowserSession> StartAsync(BrowserHost host, EnrollmentPageModel model, ScenarioEvidence evidence, string? scenarioTitle = null,
        string? signedInState = null)
    {
        var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            StorageState = signedInState,
        });
        var timeout = host.Settings.ActionTimeout;
        context.SetDefaultTimeout((float)timeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)timeout.TotalMilliseconds);
        // No screencast or per-action screenshots in the trace: images cannot be redacted, and the masked
        // screenshots in the evidence already show every step. DOM snapshots are text and are redacted on the way out.
        await context.Tracing.StartAsync(new TracingStartOptions
        {
            Title = scenarioTitle,
            Screenshots = false,
            Snapshots = true,
            Sources = false,
        });
        var page = await context.NewPageAsync();
        return new MemberBrowserSession(context, page, model, evidence, timeout, host.Settings.Traces);
    }

    /// <summary>The captured redirect to redirect_uri; null while none has happened.</summary>
    public AuthorizationRedirect? Redirect => _redirect.Task.IsCompletedSuccessfully ? _redirect.Task.Result : null;

    /// <summary>The page's URL with secrets replaced.</summary>
    public string CurrentUrl => Secrets.Redact(_page.Url);

    /// <summary>
    /// Opens the authorization URL. The redirect to its redirect_uri parameter is captured; pass
    /// <paramref name="redirectUri"/> when the URL has none (a negative scenario dropped it) but a redirect to the
    /// client's registered one may still come.
    /// </summary>
    public async Task OpenAuthorizationPageAsync(Uri authorizeUrl, Uri? redirectUri = null)
    {
        _redirectTarget = redirectUri ?? RedirectUriOf(authorizeUrl);
        if (_redirectTarget is not null) await WatchRedirectTargetAsync(_redirectTarget);
        try
        {
            await _page.GotoAsync(authorizeUrl.AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            throw new BrowserFlowException($"The browser could not open the authorization page {Secrets.Redact(authorizeUrl.GetLeftPart(UriPartial.Path))}: {FirstLine(e.Message)}", e);
        }
        await ScreenshotAsync("authorization page opened");
    }

    /// <summary>"Create an account", fills the enrollment form and submits it.</summary>
    public async Task CreateAccountAsync(EnrollmentDetails member, string email)
    {
        _member = member;
        RegisterEmail(email);
        if (_model.SignIn is { } signIn)
        {
            await ClickAsync(signIn.CreateAccount, signIn.Page);
        }

        var form = _model.Enrollment;
        await PassExtraStepsAsync(FlowPage.Enrollment, ByLabel(form.FirstName));
        await FillAsync(form.FirstName, member.FirstName, form.Page);
        await FillAsync(form.LastName, member.LastName, form.Page);
        await FillDateAsync(form.Birthdate, member.Birthdate, form.Page);
        await FillAsync(form.MemberId, member.MemberId, form.Page);
        await FillAsync(form.PostalCode, member.PostalCode, form.Page);
        await FillAsync(form.Email, email, form.Page);
        await ScreenshotAsync("enrollment form filled");
        await ClickAsync(form.Submit, form.Page);
        await ScreenshotAsync("enrollment form submitted");
        await RequireNotRefusedAsync($"\"{form.Submit.Name}\"", member);
    }

    public async Task EnterVerificationCodeAsync(string code)
    {
        Secrets.Register(code, "verification code");
        _knownSecrets.Add(code);
        var verification = _model.Verification;
        await PassExtraStepsAsync(FlowPage.Verification, ByLabel(verification.Code));
        await FillAsync(verification.Code, code, verification.Page);
        await ScreenshotAsync("verification code entered");
        await ClickAsync(verification.Submit, verification.Page);
        await ScreenshotAsync("verification code submitted");
        await RequireNotRefusedAsync($"\"{verification.Submit.Name}\"", _member);
    }

    /// <summary>
    /// After a form the payer may refuse: when the page shows its error message (<see cref="EnrollmentPageModel.ErrorLocator"/>),
    /// the flow stops at once with the page's own words, a masked screenshot and the member settings to check, instead of
    /// waiting for a mail or a page that will not come.
    /// </summary>
    private async Task RequireNotRefusedAsync(string after, EnrollmentDetails? member)
    {
        if (!await WaitForLoadAsync()) return; // No page to read: the next step reports what it does not find.
        var error = _page.Locator(_model.ErrorLocator ?? EnrollmentPageModel.DefaultErrorLocator);
        IReadOnlyList<string> texts;
        try
        {
            texts = await error.AllInnerTextsAsync();
        }
        catch (PlaywrightException)
        {
            return;
        }
        var message = string.Join(" ", texts.Select(t => t.Trim()).Where(t => t.Length > 0));
        if (message.Length == 0) return;
        await ScreenshotAsync($"the payer refused the form after {after}");
        throw new EnrollmentRefusedException(after, Secrets.Redact(message), member);
    }

    /// <summary>The session's cookies and storage (Playwright storage state JSON), for a later session of the same member.</summary>
    public Task<string> SignedInStateAsync() => _context.StorageStateAsync();

    /// <summary>
    /// Whether the page now asks for consent (possibly behind the model's extra steps) rather than for a sign-in or an
    /// enrollment: what a member who is still signed in sees. Waits for the page to show one or the other.
    /// </summary>
    public async Task<bool> AsksForConsentAsync()
    {
        var consent = _model.ExtraSteps.Where(step => step.Before == FlowPage.Consent)
            .Aggregate(Locate(_model.Consent.Allow), (page, step) => page.Or(Locate(step.Submit)));
        var other = _model.SignIn is { } signIn ? Locate(signIn.CreateAccount).Or(ByLabel(_model.Enrollment.FirstName)) : ByLabel(_model.Enrollment.FirstName);
        try
        {
            await consent.Or(other).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = (float)_timeout.TotalMilliseconds });
        }
        catch (TimeoutException)
        {
            return false; // Neither page: the enrollment's first action reports what it did not find.
        }
        return await consent.First.IsVisibleAsync();
    }

    public async Task AllowAsync()
    {
        await PassExtraStepsAsync(FlowPage.Consent, Locate(_model.Consent.Allow));
        await ClickAsync(_model.Consent.Allow, _model.Consent.Page);
        await ScreenshotAsync("access allowed");
    }

    public async Task DenyAsync()
    {
        await PassExtraStepsAsync(FlowPage.Consent, Locate(_model.Consent.Deny));
        await ClickAsync(_model.Consent.Deny, _model.Consent.Page);
        await ScreenshotAsync("access denied");
    }

    /// <summary>The redirect to redirect_uri, waiting up to <paramref name="timeout"/> (default: the action timeout) for it.</summary>
    public async Task<AuthorizationRedirect> WaitForRedirectAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var wait = timeout ?? _timeout;
        if (_redirectTarget is null)
            throw new BrowserFlowException("No redirect can be expected: the authorization URL opened had no redirect_uri parameter.");
        try
        {
            return await _redirect.Task.WaitAsync(wait, cancellationToken);
        }
        catch (TimeoutException)
        {
            var shown = await VisibleErrorTextAsync();
            throw new BrowserFlowException(
                $"The authorization server did not redirect to {_redirectTarget} within {wait.TotalSeconds:0.#} s; " +
                $"the browser shows '{Secrets.Redact(await TitleAsync())}' at {CurrentUrl}{(shown.Length > 0 ? $": {Shorten(shown, 300)}" : "")}");
        }
    }

    /// <summary>
    /// What the page says went wrong: the text of its alerts (role=alert) when it has any, otherwise all visible text.
    /// Secrets are redacted.
    /// </summary>
    public async Task<string> VisibleErrorTextAsync()
    {
        try
        {
            var alerts = await _page.GetByRole(AriaRole.Alert).AllInnerTextsAsync();
            var text = alerts.Any(a => !string.IsNullOrWhiteSpace(a)) ? string.Join(" ", alerts) : await _page.Locator("body").InnerTextAsync(new() { Timeout = 2_000 });
            return Secrets.Redact(Whitespace().Replace(text, " ").Trim());
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return "";
        }
    }

    /// <summary>All visible text of the current page, redacted.</summary>
    public async Task<string> PageTextAsync()
    {
        try
        {
            return Secrets.Redact(await _page.Locator("body").InnerTextAsync(new() { Timeout = 2_000 }));
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return "";
        }
    }

    public async Task<string> TitleAsync()
    {
        try
        {
            return await _page.TitleAsync();
        }
        catch (PlaywrightException)
        {
            return "";
        }
    }

    /// <summary>
    /// Ends the trace and keeps it, redacted, as evidence (a trace zip for `playwright show-trace`); with
    /// browserTraces=failed a passed scenario drops it.
    /// </summary>
    public async Task StopAsync(bool failed)
    {
        if (_stopped) return;
        _stopped = true;
        if (!failed && _traces == TraceRetention.Failed)
        {
            await _context.Tracing.StopAsync();
            return;
        }
        var path = Path.Combine(Path.GetTempPath(), $"dic-trace-{Guid.NewGuid():N}.zip");
        try
        {
            await _context.Tracing.StopAsync(new TracingStopOptions { Path = path });
            _evidence.Add("Playwright trace (redacted)", "application/zip", "zip", TraceRedaction.Redact(await File.ReadAllBytesAsync(path)));
        }
        catch (PlaywrightException e)
        {
            _evidence.AddText("Playwright trace (not available)", "text/plain", "txt", $"The browser could not hand over its trace: {FirstLine(e.Message)}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_stopped) await StopAsync(failed: false);
        }
        catch (PlaywrightException)
        {
            // The context is already gone (browser crashed); nothing to keep.
        }
        await _context.CloseAsync();
    }

    private void RegisterEmail(string email)
    {
        Secrets.Register(email, "member email");
        _knownSecrets.Add(email);
    }

    /// <summary>
    /// The page model's extra steps before <paramref name="next"/>, in order. An optional step waits for whichever shows
    /// first, its own control or <paramref name="nextElement"/> of the usual page, and is skipped when it is the latter.
    /// </summary>
    private async Task PassExtraStepsAsync(FlowPage next, ILocator nextElement)
    {
        foreach (var step in _model.ExtraSteps.Where(s => s.Before == next))
        {
            var leave = Locate(step.Submit);
            if (step.Optional)
            {
                try
                {
                    await leave.Or(nextElement).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = (float)_timeout.TotalMilliseconds });
                }
                catch (TimeoutException)
                {
                    return; // Neither page: the next action reports what it did not find.
                }
                if (!await leave.First.IsVisibleAsync()) continue;
            }
            foreach (var label in step.Check ?? [])
                await (await FindAsync(ByLabel(label), label, step.Page)).CheckAsync();
            await ScreenshotAsync($"{step.Page} filled");
            await ClickAsync(step.Submit, step.Page);
        }
    }

    private ILocator ByLabel(string label) => _page.GetByLabel(label, new() { Exact = _model.ExactMatch });

    private async Task FillAsync(string label, string value, string pageName)
    {
        var input = await FindAsync(_page.GetByLabel(label, new() { Exact = _model.ExactMatch }), label, pageName);
        await input.FillAsync(value);
    }

    /// <summary>Types MM/DD/YYYY into a text input, or converts it for a native date input (which only takes yyyy-MM-dd).</summary>
    private async Task FillDateAsync(string label, string value, string pageName)
    {
        var input = await FindAsync(_page.GetByLabel(label, new() { Exact = _model.ExactMatch }), label, pageName);
        if (await input.GetAttributeAsync("type") == "date")
        {
            if (!DateOnly.TryParseExact(value, "MM/dd/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                throw new BrowserFlowException($"The member's birthdate '{value}' is not MM/DD/YYYY: fix the member birthdate setting.");
            value = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        await input.FillAsync(value);
    }

    private async Task ClickAsync(PageControl control, string pageName)
    {
        var button = await FindAsync(Locate(control), control.Name, pageName);
        await button.ClickAsync();
        // A page still loading is the next action's problem: it waits for its own element.
        await WaitForLoadAsync();
    }

    /// <summary>
    /// Waits up to the action timeout for the page's load event; false when it did not come. Playwright's .NET client can
    /// miss a load event that arrives while its wait is being set up: traces showed a wait running its full 60 s on a
    /// page that had loaded (the next call answered "Load event already fired"), about one run in twenty under load. So
    /// the wait is taken in short slices, each of which reads the page's load state afresh.
    /// </summary>
    private async Task<bool> WaitForLoadAsync()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var left = _timeout - waited.Elapsed;
            var slice = left < LoadStateSlice ? left : LoadStateSlice;
            try
            {
                await _page.WaitForLoadStateAsync(LoadState.Load, new PageWaitForLoadStateOptions { Timeout = (float)Math.Max(1, slice.TotalMilliseconds) });
                return true;
            }
            catch (TimeoutException) when (waited.Elapsed < _timeout)
            {
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException)
            {
                return false;
            }
        }
    }

    private ILocator Locate(PageControl control)
    {
        ILocator ByRole(AriaRole role) => _page.GetByRole(role, new() { Name = control.Name, Exact = _model.ExactMatch });
        return control.Role switch
        {
            ControlRole.Link => ByRole(AriaRole.Link),
            ControlRole.ButtonOrLink => ByRole(AriaRole.Button).Or(ByRole(AriaRole.Link)),
            _ => ByRole(AriaRole.Button),
        };
    }

    private async Task<ILocator> FindAsync(ILocator locator, string label, string pageName)
    {
        try
        {
            await locator.First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = (float)_timeout.TotalMilliseconds });
        }
        catch (TimeoutException)
        {
            await ScreenshotAsync($"element not found: {label}");
            throw new BrowserFlowException($"element not found: {label} on {pageName} (the browser shows '{Secrets.Redact(await TitleAsync())}' at {CurrentUrl})");
        }
        var count = await locator.CountAsync();
        if (count > 1)
            throw new BrowserFlowException($"element ambiguous: {count} elements match '{label}' on {pageName}; make the page model's name more specific or set exactMatch.");
        return locator;
    }

    private async Task ScreenshotAsync(string what)
    {
        var masks = new List<ILocator>
        {
            _page.GetByLabel(_model.Enrollment.Email, new() { Exact = _model.ExactMatch }),
            _page.GetByLabel(_model.Verification.Code, new() { Exact = _model.ExactMatch }),
        };
        masks.AddRange(_knownSecrets.Select(secret => _page.GetByText(secret)));
        try
        {
            var png = await _page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Mask = masks, Type = ScreenshotType.Png });
            _evidence.Add($"Screenshot {++_screenshotCount}: {what}", "image/png", "png", png);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            _evidence.AddText($"Screenshot {++_screenshotCount}: {what} (not taken)", "text/plain", "txt", FirstLine(e.Message));
        }
    }

    /// <summary>
    /// Watches for the redirect to redirect_uri below Playwright, in Chromium's own request interception (CDP Fetch):
    /// Playwright's routes never see redirect hops, so a 302 to an unserved redirect_uri would end on a browser error
    /// page, while Chromium pauses every request to the redirect_uri's origin, hops included. The authorization
    /// server's own pages, cookies and form posts are left entirely to the browser.
    /// </summary>
    private async Task WatchRedirectTargetAsync(Uri redirectTarget)
    {
        if (_cdp is null)
        {
            _cdp = await _context.NewCDPSessionAsync(_page);
            _cdp.Event("Fetch.requestPaused").OnEvent += (_, paused) =>
            {
                if (paused is { } details) _ = OnRequestPausedAsync(details);
            };
        }
        await _cdp.SendAsync("Fetch.enable", new Dictionary<string, object>
        {
            ["patterns"] = new object[]
            {
                new Dictionary<string, object> { ["urlPattern"] = redirectTarget.GetLeftPart(UriPartial.Authority) + "/*", ["requestStage"] = "Request" },
            },
        });
    }

    private async Task OnRequestPausedAsync(JsonElement paused)
    {
        var requestId = paused.GetProperty("requestId").GetString()!;
        try
        {
            var url = new Uri(paused.GetProperty("request").GetProperty("url").GetString()!);
            var isDocument = paused.TryGetProperty("resourceType", out var type) && type.GetString() == "Document";
            if (_redirectTarget is { } target && isDocument && IsRedirectTarget(url, target))
            {
                _redirect.TrySetResult(AuthorizationRedirect.Parse(url));
                await _cdp!.SendAsync("Fetch.fulfillRequest", new Dictionary<string, object>
                {
                    ["requestId"] = requestId,
                    ["responseCode"] = 200,
                    ["responseHeaders"] = new object[] { new Dictionary<string, object> { ["name"] = "Content-Type", ["value"] = "text/html; charset=utf-8" } },
                    ["body"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(CapturedPageHtml)),
                });
                return;
            }
            await _cdp!.SendAsync("Fetch.continueRequest", new Dictionary<string, object> { ["requestId"] = requestId });
        }
        catch (PlaywrightException)
        {
            // The page or context closed while the request was paused: nothing is waiting for it any more.
        }
        catch (Exception e) when (e is UriFormatException or InvalidOperationException or KeyNotFoundException)
        {
            // An event this code cannot read must not leave the browser's request paused for ever.
            try { await _cdp!.SendAsync("Fetch.continueRequest", new Dictionary<string, object> { ["requestId"] = requestId }); }
            catch (PlaywrightException) { }
        }
    }

    internal static bool IsRedirectTarget(Uri url, Uri redirectUri) =>
        string.Equals(url.Scheme, redirectUri.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(url.IdnHost, redirectUri.IdnHost, StringComparison.OrdinalIgnoreCase)
        && url.Port == redirectUri.Port
        && string.Equals(url.AbsolutePath, redirectUri.AbsolutePath, StringComparison.Ordinal);

    private static Uri? RedirectUriOf(Uri authorizeUrl)
    {
        foreach (var pair in authorizeUrl.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = pair.IndexOf('=');
            if (separator < 0 || Uri.UnescapeDataString(pair[..separator]) != "redirect_uri") continue;
            return Uri.TryCreate(Uri.UnescapeDataString(pair[(separator + 1)..].Replace('+', ' ')), UriKind.Absolute, out var uri) ? uri : null;
        }
        return null;
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length] + "…";

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
