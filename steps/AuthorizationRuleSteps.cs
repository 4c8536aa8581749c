using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class AuthorizationRuleSteps(ConformanceScenario scenario, OwnLaunchExchange exchange, ScopeRules scopeRules, AuthorizationRefusalRules authorizationRefusalRules)
{
    [Given("the app requests access with scope {string} and a redirect_uri it never registered")]
    public void GivenAnUnregisteredRedirectUri(string scope) => authorizationRefusalRules.PrepareWithUnregisteredRedirectUri(scenario, scope);

    [Given("the member has authorized the app in a launch of its own whose request has no scope parameter")]
    public Task GivenALaunchWithoutScope() => exchange.AuthorizeAsync(scope: null, omitScope: true);

    [Then("the authorization server refuses the request on its own page")]
    public Task ThenRefusedAtTheAuthorizationServer() => authorizationRefusalRules.RequireRefusedAtAuthorizationServerAsync(scenario);

    [Then("nothing is sent to the unregistered redirect_uri")]
    public void ThenNothingReachesTheUnregisteredUri() => authorizationRefusalRules.RequireNothingSentToUnregisteredUri(scenario);

    [Then("the app is sent back to its redirect URI with error access_denied and exactly the state it sent")]
    public Task ThenAccessDenied() => authorizationRefusalRules.RequireAccessDeniedRedirectAsync(scenario);

    [Then("the token response grants the default scope {string}: all of it and nothing beyond it")]
    public void ThenTheDefaultScopeIsGranted(string defaultScope) => scopeRules.RequireDefaultScope(exchange.Granted, defaultScope);
}
