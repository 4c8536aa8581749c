using System.Net;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Session;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// The code exchange at the token endpoint (RFC 6749 section 4.1.3): the grant of a fresh code, and the refusals a token
/// endpoint owes a reused code, a wrong client secret, another redirect_uri or an outlived code (section 5.2).
/// </summary>
public sealed class TokenExchangeRules(Check check)
{
    /// <summary>
    /// An access token for a flow others depend on: judged under the policy; without one the scenario ends as skipped,
    /// naming <paramref name="leftUnchecked"/>.
    /// </summary>
    public string RequireAccessTokenFor(TokenResponse token, string expectation, string observed, string leftUnchecked)
    {
        if (!check.Holds(token.AccessToken is not null, Requirements.SmartTokenResponse, expectation, observed))
            check.CannotContinue(Requirements.SmartTokenResponse, leftUnchecked);
        return token.AccessToken!;
    }

    /// <summary>The first exchange of a code must succeed, or a later refusal proves nothing.</summary>
    public void RequireGranted(TokenResponse? granted)
    {
        var response = granted ?? throw new InvalidOperationException("The code has not been exchanged yet: a step must exchange it first.");
        check.That(response.StatusCode == HttpStatusCode.OK && response.AccessToken is not null, Requirements.SmartTokenResponse,
            "The token endpoint must grant the first exchange of a fresh authorization code.", TokenRefusal.Describe(response));
    }

    /// <summary>The last probe was refused as RFC 6749 section 5.2 describes, with <paramref name="expectedError"/>.</summary>
    public void RequireRefused(TokenProbe? lastProbe, string expectedError, TokenAuthMethod authMethod)
    {
        var probe = lastProbe ?? throw new InvalidOperationException("No token request was made in this scenario: a When step must make one first.");
        var verdict = TokenRefusal.Judge(probe.Response, expectedError, authMethod);
        check.That(verdict.Conforms, probe.Rule, $"{probe.Expectation} Expected {verdict.Expected}.", verdict.Observed);
    }

    /// <summary>The last probe was refused as RFC 6749 section 5.2 describes, with either error (where the RFCs leave the choice).</summary>
    public void RequireRefusedWithEither(TokenProbe? lastProbe, string oneError, string otherError, TokenAuthMethod authMethod)
    {
        var probe = lastProbe ?? throw new InvalidOperationException("No token request was made in this scenario: a When step must make one first.");
        var one = TokenRefusal.Judge(probe.Response, oneError, authMethod);
        var other = TokenRefusal.Judge(probe.Response, otherError, authMethod);
        check.That(one.Conforms || other.Conforms, probe.Rule, $"{probe.Expectation} Expected {one.Expected}, or the same with \"{otherError}\".", one.Observed);
    }

    /// <summary>Checks about the granted token cannot go on without one, whatever the policy says about the rule.</summary>
    internal TokenResponse RequireGrantedToken(TokenResponse? granted)
    {
        var response = granted ?? throw new InvalidOperationException("The code has not been exchanged yet: a step must exchange it first.");
        if (response.StatusCode != HttpStatusCode.OK || response.AccessToken is null)
            check.Fail(Requirements.SmartTokenResponse, "The token endpoint must grant the exchange of a fresh authorization code.", TokenRefusal.Describe(response));
        return response;
    }
}
