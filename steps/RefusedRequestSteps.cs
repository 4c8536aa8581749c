using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class RefusedRequestSteps(ConformanceScenario scenario, RefusedAuthorization refused, OwnLaunchExchange exchange,
    RefusedRequestRules refusedRequestRules, TokenExchangeRules tokenExchangeRules)
{
    [Given("the app requests access with an aud naming a FHIR server other than the health plan's")]
    public void GivenACounterfeitAud() => refused.PrepareWithCounterfeitAud();

    [Given("the app requests access with a PKCE challenge whose code_challenge_method is plain")]
    public void GivenAPlainChallenge() => refused.PrepareWithPlainChallenge();

    [When("the member goes through the authorization as far as the authorization server lets them")]
    public Task WhenTheMemberGoesAsFarAsAllowed() => refused.GoAsFarAsAllowedAsync();

    [Then("the app receives no authorization code")]
    public void ThenNoCode() => refusedRequestRules.RequireNoCode(refused.Outcome);

    [Given("the member has authorized the app with a PKCE challenge in a launch of its own")]
    public Task GivenAnOwnLaunchWithPkce() => exchange.AuthorizeWithPkceAsync();

    [When("the app exchanges the authorization code presenting a code_verifier other than the one its challenge was made from")]
    public Task WhenTheAppPresentsAWrongVerifier() => exchange.ExchangeWithWrongVerifierAsync();

    [When("the app exchanges the authorization code without its code_verifier")]
    public Task WhenTheAppOmitsTheVerifier() => exchange.ExchangeWithoutVerifierAsync();

    [Then("the token endpoint refuses the request with error {string} or {string}")]
    public void ThenRefusedWithEither(string oneError, string otherError) =>
        tokenExchangeRules.RequireRefusedWithEither(exchange.LastProbe, oneError, otherError, scenario.Tokens.AuthMethod);
}
