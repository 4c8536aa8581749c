using DigitalInsurance.Conformance.Support.Browser;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>The authorization response: the redirect back to the app with a code and the app's state (RFC 6749 section 4.1.2).</summary>
public sealed class AuthorizationCodeRules(Check check)
{
    private const string CodeExpected = "The authorization server must redirect to the app with an authorization code.";

    public void RequireCodeAtRedirectUri(AuthorizationRedirect redirect, Uri redirectUri)
    {
        check.That(redirect.Target.AbsoluteUri == redirectUri.AbsoluteUri, Requirements.SmartAuthorizationCode,
            "The authorization server must redirect to the redirect_uri the app registered and sent.", redirect.Target.AbsoluteUri);
        check.That(!string.IsNullOrEmpty(redirect.Code), Requirements.SmartAuthorizationCode,
            "The redirect must carry an authorization code.", redirect.RedactedUri);
    }

    public void RequireStateEchoed(string? returned, string sent) =>
        check.That(returned == sent, Requirements.SmartStateEcho,
            "The redirect must carry exactly the state value the app sent (SMART App Launch: state is required and echoed).",
            returned is null ? "no state parameter" : "a different state value");

    /// <summary>A scenario's own launch cannot go on without a code, whatever the policy says about the rule.</summary>
    public string RequireCode(AuthorizationRedirect redirect)
    {
        if (redirect.Code is null)
            check.Fail(Requirements.SmartAuthorizationCode, CodeExpected, Observed(redirect));
        return redirect.Code;
    }

    /// <summary>
    /// A code for a flow others depend on (the run's shared authorization, the other member's): judged under the policy;
    /// without one the scenario ends as skipped, naming <paramref name="leftUnchecked"/>.
    /// </summary>
    public string RequireCodeFor(AuthorizationRedirect redirect, string expectation, string leftUnchecked)
    {
        if (!check.Holds(redirect.Code is not null, Requirements.SmartAuthorizationCode, expectation, Observed(redirect)))
            check.CannotContinue(Requirements.SmartAuthorizationCode, leftUnchecked);
        return redirect.Code!;
    }

    /// <summary>The expectation most flows state: a redirect to the app with a code.</summary>
    public string RequireCodeFor(AuthorizationRedirect redirect, string leftUnchecked) => RequireCodeFor(redirect, CodeExpected, leftUnchecked);

    private string Observed(AuthorizationRedirect redirect) =>
        redirect.Error is null ? redirect.RedactedUri : $"error={redirect.Error} {redirect.ErrorDescription}";
}
