using DigitalInsurance.Conformance.Support.Session;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// Authorization requests the server must refuse (a wrong aud, a plain PKCE challenge): however it refuses, with an
/// error redirect or a page of its own, before or after sign-in, no authorization code may reach the app.
/// </summary>
public sealed class RefusedRequestRules(Check check)
{
    public void RequireNoCode(AuthorizationOutcome? outcome)
    {
        var ended = outcome ?? throw new InvalidOperationException("The refused request was not sent: a When step must take the member through it first.");
        var redirect = ended.Redirect;
        check.That(redirect?.Code is null, ended.Rule,
            $"{ended.Expectation} Expected: no authorization code for the app (an error redirect, or the authorization server's own error page).",
            redirect is null ? null : $"the browser was sent to the app with an authorization code ({redirect.RedactedUri})");
    }
}
