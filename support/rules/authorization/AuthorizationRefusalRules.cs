using DigitalInsurance.Conformance.Support.Session;
using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.OAuth;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// What the authorization server must do when it cannot or may not give the app a code: refuse a redirect_uri the
/// client never registered on its own page, and send a member's denial back to the app as access_denied.
/// </summary>
public sealed class AuthorizationRefusalRules(Check check)
{
    private static readonly Requirement RedirectRule = Requirements.SmartRedirectUriRegistered;
    private static readonly Requirement DeniedRule = Requirements.SmartAuthorizationDenied;

    /// <summary>The app's request with a redirect_uri the client never registered (see <see cref="UnregisteredRedirectUri"/>).</summary>
    public void PrepareWithUnregisteredRedirectUri(ConformanceScenario scenario, string scope)
    {
        var unregistered = UnregisteredRedirectUri.For(scenario.Run.Settings.RedirectUri!);
        scenario.Authorization.Prepare(scope, new Dictionary<string, string?> { ["redirect_uri"] = unregistered.AbsoluteUri });
        scenario.Evidence.AddText("Unregistered redirect_uri sent", "text/plain", "txt",
            $"Registered: {scenario.Run.Settings.RedirectUri}\nSent instead: {unregistered}");
    }

    /// <summary>
    /// The browser is still at the authorization server, on a page that is not the start of sign-in: the request was
    /// refused there (RFC 6749 section 3.1.2.4: inform the resource owner, never redirect to the invalid URI).
    /// </summary>
    public async Task RequireRefusedAtAuthorizationServerAsync(ConformanceScenario scenario)
    {
        var launch = scenario.Authorization;
        var pageText = await launch.PageTextAsync();
        scenario.Evidence.AddText("Page shown for the unregistered redirect_uri", "text/plain", "txt", $"{launch.CurrentUrl}\n\n{pageText}");

        var authorizationServer = scenario.Run.AuthorizeEndpoint.GetLeftPart(UriPartial.Authority);
        var at = Uri.TryCreate(launch.CurrentUrl, UriKind.Absolute, out var current) ? current.GetLeftPart(UriPartial.Authority) : launch.CurrentUrl;
        check.That(string.Equals(at, authorizationServer, StringComparison.OrdinalIgnoreCase), RedirectRule,
            $"An authorization request with an unregistered redirect_uri must be refused on the authorization server's own page ({authorizationServer}), without sending the browser anywhere (RFC 6749 section 3.1.2.4).",
            $"the browser ended at {launch.CurrentUrl}");

        var signInStart = scenario.Run.PageModel.SignIn?.CreateAccount.Name ?? scenario.Run.PageModel.Enrollment.FirstName;
        check.That(!pageText.Contains(signInStart, StringComparison.Ordinal), RedirectRule,
            "An authorization request with an unregistered redirect_uri must be refused with an error, not taken on to sign-in (SMART: redirect_uri must match one of the client's pre-registered redirect URIs).",
            $"the page offers \"{signInStart}\", the start of sign-in");
    }

    public void RequireNothingSentToUnregisteredUri(ConformanceScenario scenario)
    {
        var redirect = scenario.Authorization.CapturedRedirect;
        check.That(redirect is null, RedirectRule,
            "The authorization server must not redirect the browser to a redirect_uri the client never registered (RFC 6749 section 3.1.2.4: MUST NOT automatically redirect).",
            redirect is null ? null : $"the browser was sent to {redirect.RedactedUri}");
    }

    /// <summary>After the member denied access: a redirect to the app with error=access_denied, no code, and the app's exact state.</summary>
    public async Task RequireAccessDeniedRedirectAsync(ConformanceScenario scenario)
    {
        var launch = scenario.Authorization;
        AuthorizationRedirect redirect;
        try
        {
            redirect = await launch.WaitForRedirectAsync();
        }
        catch (BrowserFlowException e)
        {
            check.Fail(DeniedRule, "When the member denies access, the authorization server must redirect to the app with error=access_denied (RFC 6749 section 4.1.2.1).", e.Message);
            throw;
        }
        check.That(redirect.Error == "access_denied" && redirect.Code is null, DeniedRule,
            "When the member denies access, the authorization server must redirect to the app with error=access_denied and no code (RFC 6749 section 4.1.2.1).",
            redirect.Code is not null ? "the redirect carries an authorization code" : $"error={redirect.Error ?? "(none)"}");
        check.That(redirect.State == launch.Request!.State, DeniedRule,
            "The error redirect must carry exactly the state value the app sent (RFC 6749 section 4.1.2.1: state REQUIRED, the exact value received).",
            redirect.State is null ? "no state parameter" : "a different state value");
    }
}
