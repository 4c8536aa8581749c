using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class TokenRuleSteps(ConformanceScenario scenario, OwnLaunchExchange exchange, TokenExchangeRules tokenExchangeRules, ScopeRules scopeRules,
    ScopeEnforcementRules scopeEnforcementRules)
{
    [Given("the member has authorized the app in a launch of its own")]
    public Task GivenAnOwnLaunch() => exchange.AuthorizeAsync(scope: null);

    [Given("the member has authorized the app with scope {string} in a launch of its own")]
    public Task GivenAnOwnLaunchWithScope(string scope) => exchange.AuthorizeAsync(scope);

    [When("the app exchanges the authorization code for a token")]
    public Task WhenTheAppExchangesTheCode() => exchange.ExchangeAsync();

    [When("the app exchanges the same authorization code again")]
    public Task WhenTheAppExchangesTheCodeAgain() => exchange.ExchangeAgainAsync();

    [When("the app exchanges the authorization code presenting a wrong client secret")]
    public Task WhenTheAppPresentsAWrongSecret() => exchange.ExchangeWithWrongSecretAsync();

    [When("the app exchanges the authorization code with a redirect_uri other than the one it authorized with")]
    public Task WhenTheAppSendsAnotherRedirectUri() => exchange.ExchangeWithOtherRedirectUriAsync();

    [When("the authorization code's lifetime has passed")]
    public Task WhenTheCodeLifetimeHasPassed() => exchange.WaitUntilCodeOutlivedAsync();

    [When("the app exchanges the outlived authorization code")]
    public Task WhenTheAppExchangesTheOutlivedCode() => exchange.ExchangeOutlivedCodeAsync();

    [Then("the first exchange was granted an access token")]
    public void ThenTheFirstExchangeWasGranted() => tokenExchangeRules.RequireGranted(exchange.Granted);

    [Then("the token endpoint refuses the request with error {string}")]
    public void ThenTheTokenEndpointRefuses(string error) => tokenExchangeRules.RequireRefused(exchange.LastProbe, error, scenario.Tokens.AuthMethod);

    [Then("a search for the member's Coverage with that token is refused with 403 or 401")]
    public Task ThenCoverageIsRefused() => scopeEnforcementRules.RequireCoverageRefusedAsync(scenario.Fhir, scenario.PatientInContextIfNamed);

    [Then("the token response grants the SMART v2 scope {string} the app asked for")]
    public void ThenTheV2ScopeIsGranted(string scope) => scopeRules.RequireV2ScopesGranted(exchange.Granted, scope);

    [Then("the token response grants no scope beyond those the app asked for")]
    public void ThenNoScopeBeyondTheRequest() =>
        scopeRules.RequireNotWiderThanRequested(exchange.Granted, scenario.Authorization.Request!.Scope, scenario.Evidence);
}
