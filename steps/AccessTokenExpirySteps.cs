using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class AccessTokenExpirySteps(OwnLaunchExchange exchange, AccessTokenExpiryRules rules)
{
    [When("the app reads the member's Patient with that token")]
    public Task WhenTheAppReadsThePatient() => rules.ReadWithinLifetimeAsync();

    [When("the lifetime the token response stated for the access token has passed")]
    public Task WhenTheTokenLifetimeHasPassed() => exchange.WaitUntilAccessTokenOutlivedAsync();

    [When("the app reads the member's Patient again with the outlived token")]
    public Task WhenTheAppReadsAgain() => rules.ReadAfterLifetimeAsync();

    [Then("the read within the token's lifetime was served")]
    public void ThenServedWithinLifetime() => rules.RequireServedWithinLifetime();

    [Then("the read with the outlived token is refused with 401")]
    public void ThenRefusedAfterLifetime() => rules.RequireRefusedAfterLifetime();
}
