using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class RefreshTokenSteps(ConformanceScenario scenario, OwnLaunchExchange exchange, RefreshTokenExchange refresh, RefreshTokenRules rules)
{
    private const string NarrowerExpectation =
        "A refresh asking for a narrower scope must be granted no more than it asked for, or say so in the response's scope (RFC 6749 sections 6 and 5.1).";

    [Given("the app has exchanged the authorization code for a token that carries a refresh token")]
    public async Task GivenARefreshToken()
    {
        await exchange.ExchangeAsync();
        refresh.RefreshToken = rules.RequireRefreshToken(exchange.Granted, scenario.Run.Advertised, scenario.Authorization.Request!.Scope);
    }

    [When("the app refreshes the access token without a scope")]
    public Task WhenTheAppRefreshesWithoutScope() => refresh.RefreshAsync(scope: null);

    [When("the app refreshes the access token asking for scope {string}")]
    public Task WhenTheAppRefreshesWithScope(string scope) => refresh.RefreshAsync(scope);

    [When("the app refreshes with a refresh token the payer never issued")]
    public Task WhenTheAppRefreshesWithAnUnissuedToken() => refresh.RefreshWithUnissuedTokenAsync();

    [Then("the refresh without a scope is granted a new access token")]
    public void ThenTheRefreshWithoutScopeIsGranted() =>
        rules.RequireGranted(refresh.RequireRefreshed(), Requirements.SmartRefreshToken, "a refresh without scope (the scope originally granted)");

    [Then("the refresh response has the headers Cache-Control no-store and Pragma no-cache")]
    public void ThenTheRefreshResponseIsNotCached() => rules.RequireNotCached(refresh.RequireRefreshed());

    [Then("the refresh asking for the narrower scope is granted a new access token")]
    public void ThenTheNarrowerRefreshIsGranted() =>
        rules.RequireGranted(refresh.RequireRefreshed(), Requirements.SmartRefreshNarrowerScope, $"a refresh asking for \"{refresh.RequestedScope}\", within the original grant");

    [Then("the refreshed token's scope is within the narrower scope")]
    public void ThenTheStatedScopeIsNarrower() =>
        rules.RequireStatedScopeWithin(refresh.RequireRefreshed(), refresh.RequestedScope!, refresh.RequestedScope!, Requirements.SmartRefreshNarrowerScope, NarrowerExpectation);

    [Then("the refreshed token reads the member's Patient")]
    public Task ThenTheRefreshedTokenReadsThePatient() =>
        rules.RequirePatientReadAsync(scenario.Fhir, scenario.PatientInContextIfNamed, Requirements.SmartRefreshNarrowerScope);

    [Then("a search for the member's Coverage with the refreshed token is refused with 403 or 401")]
    public Task ThenTheNarrowerTokenIsRefusedCoverage() =>
        rules.RequireCoverageRefusedAsync(scenario.Fhir, scenario.PatientInContextIfNamed, Requirements.SmartRefreshNarrowerScope, NarrowerExpectation +
            " Granted no Coverage scope, the refreshed token must be refused the member's Coverage with 403 (C4DIC: insufficient scopes) or 401.");

    [Then("the refresh asking for more than was granted is refused, or granted nothing beyond the original grant")]
    public Task ThenTheWiderRefreshIsRefusedOrContained() =>
        rules.RequireRefusedOrWithinOriginalAsync(refresh.RequireRefreshed(), refresh.RequestedScope!, refresh.OriginalScope, scenario.Tokens.AuthMethod,
            scenario.Fhir, scenario.PatientInContextIfNamed);

    [Then("the token endpoint refuses the refresh with error \"invalid_grant\"")]
    public void ThenTheUnissuedTokenIsRefused() => rules.RequireUnissuedTokenRefused(refresh.RequireRefreshed(), scenario.Tokens.AuthMethod);
}
