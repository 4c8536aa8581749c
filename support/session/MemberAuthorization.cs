using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Mail;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Reporting;
using DigitalInsurance.Conformance.Support.Timing;

namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>
/// One standalone launch as the member lives it, step by step: the app's authorization request, the member's
/// browser on the enrollment pages, the emailed code, consent, and the redirect back to the app.
/// </summary>
/// <param name="member">Who enrolls; null: the run's member under test.</param>
public sealed class MemberAuthorization(ConformanceRun run, ScenarioEvidence evidence, string scenarioTitle, MemberSettings? member = null) : IAsyncDisposable
{
    private MemberBrowserSession? _browser;
    private DateTimeOffset _accountRequestedAt;
    private IDisposable? _clockHold;
    private string? _signedInState;
    private bool _returned;

    private MemberSettings Member => member ?? run.Settings.Member;

    public AuthorizationRequest? Request { get; private set; }
    public Pkce? Pkce { get; private set; }
    public string? Email { get; private set; }
    public AuthorizationRedirect? Redirect { get; private set; }

    /// <summary>The app's request; <paramref name="overrides"/> replace (or, with null, drop) parameters for negative scenarios.</summary>
    public AuthorizationRequest Prepare(string? scope, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = run.Settings;
        Pkce = run.Pkce.On ? Pkce.Create() : null;
        // SMART: a standalone app asks for launch/patient to be given the patient in context, where the server offers it.
        var requested = run.Advertised.OffersStandalonePatientContext
            ? AuthorizationRequest.WithScope(scope ?? run.Scope.Value, AuthorizationRequest.LaunchPatient)
            : scope ?? run.Scope.Value;
        Request = new AuthorizationRequest
        {
            AuthorizeEndpoint = run.AuthorizeEndpoint,
            ClientId = settings.ClientId!,
            RedirectUri = settings.RedirectUri!,
            Scope = requested,
            State = AuthorizationRequest.NewState(),
            Nonce = AuthorizationRequest.NonceFor(requested),
            Audience = run.FhirBaseUrl.AbsoluteUri.TrimEnd('/'),
            CodeChallenge = Pkce?.Challenge,
            Overrides = overrides ?? new Dictionary<string, string?>(),
        };
        return Request;
    }

    /// <param name="asReturningMember">
    /// Open it in the browser the member's earlier launch of this run left signed in, if there was one
    /// (<see cref="ReturningMembers"/>); then <see cref="ReturnsSignedInAsync"/> tells whether the enrollment can be skipped.
    /// </param>
    public async Task OpenAuthorizationPageAsync(bool asReturningMember = false)
    {
        var request = Request ?? Prepare(null);
        using var _ = PhaseTimer.Measure(Phase.Browser);
        if (_browser is null)
        {
            _signedInState = asReturningMember ? run.ReturningMembers.SignedInStateOf(Member) : null;
            _browser = await MemberBrowserSession.StartAsync(run.Browser, run.PageModel, evidence, scenarioTitle, _signedInState);
        }
        await _browser.OpenAuthorizationPageAsync(request.ToUri());
    }

    /// <summary>
    /// True when the page opened as a returning member asks for consent straight away: the payer kept the member
    /// signed in, so no account needs creating. False (enroll in full) for a fresh browser or any other page.
    /// </summary>
    public async Task<bool> ReturnsSignedInAsync()
    {
        if (_signedInState is null) return false;
        using var _ = PhaseTimer.Measure(Phase.Browser);
        var returning = await RequireBrowser().AsksForConsentAsync();
        evidence.AddText("Returning member", "text/plain", "txt", returning
            ? "The member's browser from an earlier launch of this run is still signed in: the payer asks for consent straight away, so no new account is created."
            : "The member's browser from an earlier launch of this run is not signed in any more: the member enrolls in full.");
        if (returning) _returned = true;
        return returning;
    }

    public async Task CreateAccountAsync()
    {
        Email = run.NextMemberEmail();
        _accountRequestedAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var _ = PhaseTimer.Measure(Phase.Browser);
        await RequireBrowser().CreateAccountAsync(EnrollmentDetails.From(member ?? run.Settings.Member), Email);
    }

    /// <summary>Reads the code from the member's mailbox (the one sent after the account was requested) and types it in.</summary>
    public async Task EnterEmailedVerificationCodeAsync()
    {
        if (Email is null) throw new InvalidOperationException("No account was requested in this scenario, so no verification code was sent.");
        var mail = await PhaseTimer.MeasureAsync(Phase.Mail, () => run.Inbox.WaitForMailAsync(new MailQuery(Email, _accountRequestedAt), run.Settings.Mail.Timeout));
        var code = new VerificationCodeExtractor(run.Settings.Mail.CodePattern).Extract(mail);
        evidence.AddText("Verification email (code redacted)", "text/plain", "txt",
            $"From: {mail.From}\nTo: {string.Join(", ", mail.To)}\nSubject: {mail.Subject}\nReceived: {mail.ReceivedAt:O}\n\n{mail.TextBody}");
        using var _ = PhaseTimer.Measure(Phase.Browser);
        await RequireBrowser().EnterVerificationCodeAsync(code);
    }

    /// <summary>Consent issues the code: from here to the scenario's end the target's clock stays still (see <see cref="TargetClock"/>).</summary>
    public async Task AllowAsync()
    {
        _clockHold ??= run.Clock.HoldStill();
        await PhaseTimer.MeasureAsync(Phase.Browser, () => RequireBrowser().AllowAsync());
    }

    /// <summary>Whether this launch keeps the target's clock still (it has consented and not finished).</summary>
    public bool HoldsClock => _clockHold is not null;

    public Task DenyAsync() => PhaseTimer.MeasureAsync(Phase.Browser, () => RequireBrowser().DenyAsync());

    public async Task<AuthorizationRedirect> WaitForRedirectAsync()
    {
        Redirect = await PhaseTimer.MeasureAsync(Phase.Browser, () => RequireBrowser().WaitForRedirectAsync());
        evidence.AddText("Redirect to the app (code redacted)", "text/plain", "txt", Redirect.RedactedUri);
        // A member who enrolled and got a code is signed in as far as the payer keeps sessions: later launches may return.
        if (Redirect.Code is not null && Email is not null && !_returned)
            run.ReturningMembers.Remember(Member, await RequireBrowser().SignedInStateAsync());
        return Redirect;
    }

    /// <summary>The whole launch, for scenarios that need an authorization code but are not about obtaining it.</summary>
    public async Task<AuthorizationRedirect> RunToRedirectAsync(string? scope = null)
    {
        Prepare(scope);
        await OpenAuthorizationPageAsync();
        await CreateAccountAsync();
        await EnterEmailedVerificationCodeAsync();
        await AllowAsync();
        return await WaitForRedirectAsync();
    }

    public Task<string> PageTextAsync() => PhaseTimer.MeasureAsync(Phase.Browser, () => RequireBrowser().PageTextAsync());
    public string CurrentUrl => RequireBrowser().CurrentUrl;
    public bool BrowserStarted => _browser is not null;
    /// <summary>The redirect to the redirect_uri the authorization URL named, if the browser was sent there (without waiting for one).</summary>
    public AuthorizationRedirect? CapturedRedirect => _browser?.Redirect;

    /// <summary>Ends the browser part; a failed scenario keeps the (redacted) Playwright trace as evidence.</summary>
    public async Task FinishAsync(bool failed)
    {
        _clockHold?.Dispose();
        _clockHold = null;
        if (_browser is null) return;
        using var _ = PhaseTimer.Measure(Phase.Browser);
        await _browser.StopAsync(failed);
        await _browser.DisposeAsync();
        _browser = null;
    }

    public async ValueTask DisposeAsync() => await FinishAsync(failed: false);

    private MemberBrowserSession RequireBrowser() =>
        _browser ?? throw new InvalidOperationException("The member's browser is not open: a step must open the authorization page first.");
}
