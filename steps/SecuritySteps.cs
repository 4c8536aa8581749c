using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class SecuritySteps(ConformanceScenario scenario, UnauthenticatedRequestRules unauthenticated, CompartmentRules compartment, ReadOnlyRules writes)
{

    [When("the app requests the member's Patient, Coverage and Organization resources without an access token")]
    public Task WhenWithoutAToken() => unauthenticated.SendAsync(null);

    [When("the app requests the member's Patient, Coverage and Organization resources with the access token {string}")]
    public Task WhenWithTheToken(string token) => unauthenticated.SendAsync(token);

    [When("the app requests the member's Patient, Coverage and Organization resources with the member's access token altered")]
    public Task WhenWithAnAlteredToken() => unauthenticated.SendAsync(UnauthenticatedRequestRules.Altered(scenario.RequireToken().AccessToken!));

    [Then("every answer is 401 Unauthorized")]
    public void ThenEveryAnswerIs401() => unauthenticated.RequireEvery401();

    [Given("another member has authorized the app, and the app knows their resources from their own token")]
    public Task GivenAnotherMember() => compartment.LearnForeignResourcesAsync();

    [When("the app reads each of the other member's resources with the member's access token")]
    public Task WhenTheAppReadsTheirResources() => compartment.ReadEachAsync();

    [Then("every one of those reads is refused with 403 or 404")]
    public void ThenEveryReadIsRefused() => compartment.RequireReadsRefused();

    [When("the app searches Patient, Coverage and Organization with the member's access token, also by the other member's ids")]
    public Task WhenTheAppSearchesForThem() => compartment.SearchAllAsync();

    [Then("none of the other member's resources is returned")]
    public void ThenNoneIsReturned() => compartment.RequireAbsentFromSearches();

    [Given("the app's access token grants only read access")]
    public void GivenAReadOnlyToken() => writes.RequireReadOnlyToken();

    [When("the app tries to create a(n) {word} copied from one of the member's own")]
    public Task WhenTheAppTriesToCreate(string type) => writes.TryCreateAsync(type);

    [When("the app tries to update the member's Patient with a changed name")]
    public Task WhenTheAppTriesToUpdate() => writes.TryUpdatePatientAsync();

    [When("the app tries to delete one of the member's {word} resources")]
    public Task WhenTheAppTriesToDelete(string type) => writes.TryDeleteAsync(type);

    [Then("the server refuses the write with 401, 403 or 405")]
    public void ThenTheWriteIsRefused() => writes.RequireRefused();

    [Then("the member's data read again is unchanged")]
    public void ThenNothingChanged() => writes.RequireUnchanged();
}
