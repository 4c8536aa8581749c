using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class SecuritySteps(ConformanceScenario scenario)
{
    private readonly UnauthenticatedRequestRules _unauthenticated = new(scenario);
    private readonly CompartmentRules _compartment = new(scenario);
    private readonly ReadOnlyRules _writes = new(scenario);

    [When("the app requests the member's Patient, Coverage and Organization resources without an access token")]
    public Task WhenWithoutAToken() => _unauthenticated.SendAsync(null);

    [When("the app requests the member's Patient, Coverage and Organization resources with the access token {string}")]
    public Task WhenWithTheToken(string token) => _unauthenticated.SendAsync(token);

    [When("the app requests the member's Patient, Coverage and Organization resources with the member's access token altered")]
    public Task WhenWithAnAlteredToken() => _unauthenticated.SendAsync(UnauthenticatedRequestRules.Altered(scenario.RequireToken().AccessToken!));

    [Then("every answer is 401 Unauthorized")]
    public void ThenEveryAnswerIs401() => _unauthenticated.RequireEvery401();

    [Then("every 401 answer carries a WWW-Authenticate challenge naming the Bearer scheme")]
    public void ThenEvery401NamesBearer() => _unauthenticated.RequireBearerChallengeOnEvery401();

    [Given("another member has authorized the app, and the app knows their resources from their own token")]
    public Task GivenAnotherMember() => _compartment.LearnForeignResourcesAsync();

    [When("the app reads each of the other member's resources with the member's access token")]
    public Task WhenTheAppReadsTheirResources() => _compartment.ReadEachAsync();

    [Then("every one of those reads is refused with 403 or 404")]
    public void ThenEveryReadIsRefused() => _compartment.RequireReadsRefused();

    [When("the app searches Patient, Coverage and Organization with the member's access token, also by the other member's ids")]
    public Task WhenTheAppSearchesForThem() => _compartment.SearchAllAsync();

    [Then("none of the other member's resources is returned")]
    public void ThenNoneIsReturned() => _compartment.RequireAbsentFromSearches();

    [Given("the app's access token grants only read access")]
    public void GivenAReadOnlyToken() => _writes.RequireReadOnlyToken();

    [When("the app tries to create a(n) {word} copied from one of the member's own")]
    public Task WhenTheAppTriesToCreate(string type) => _writes.TryCreateAsync(type);

    [When("the app tries to update the member's Patient with a changed name")]
    public Task WhenTheAppTriesToUpdate() => _writes.TryUpdatePatientAsync();

    [When("the app tries to delete one of the member's {word} resources")]
    public Task WhenTheAppTriesToDelete(string type) => _writes.TryDeleteAsync(type);

    [Then("the server refuses the write with 401, 403 or 405")]
    public void ThenTheWriteIsRefused() => _writes.RequireRefused();

    [Then("the member's data read again is unchanged")]
    public void ThenNothingChanged() => _writes.RequireUnchanged();
}
