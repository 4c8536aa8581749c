using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class SearchSteps(ConformanceScenario scenario, SearchRules searchRules)
{
    private readonly MemberSearches _searches = new(scenario.Fhir, scenario.Evidence, searchRules);

    [Given("the app holds the member's {word} resources")]
    public Task GivenTheAppHolds(string type) => _searches.HoldAsync(type);

    [When("the app searches {word} by {string} with the value of a(n) {word} it holds")]
    public Task WhenTheAppSearchesBy(string type, string parameter, string heldType) =>
        _searches.SearchByAsync(type, parameter);

    [Then("every {word} returned matches {word}")]
    public void ThenEveryResultMatches(string type, string parameter) =>
        searchRules.RequireOnlyMatches(_searches.FoundBy(type, parameter), _searches.Criteria);

    [Then("the {word} the value was taken from is among them")]
    public void ThenTheSourceIsAmongThem(string type) =>
        searchRules.RequireSourceReturned(_searches.FoundBy(type, _searches.Criteria.Search.Parameter), _searches.Criteria);

    [When("the app searches {word} by {string} with a value none of the member's resources has")]
    public Task WhenTheAppSearchesWithNoMatch(string type, string parameter) => _searches.SearchWithNoMatchAsync(type, parameter);

    [Then("the searchset holds no {word}")]
    public void ThenNothingIsReturned(string type)
    {
        // Nothing was sent when every candidate value matches something the member holds; the evidence says so.
        if (_searches.NoMatchFound(type) is { } control) searchRules.RequireNoneReturned(control.Found, control.Criteria);
    }

    [When("the app searches {word} {int} at a time and follows every next link")]
    public Task WhenTheAppPages(string type, int count) => _searches.WalkAsync(type, $"_count={count}", SearchRules.PagingRule);

    [When("the app searches {word} with {string} to include the payors")]
    public Task WhenTheAppIncludesPayors(string type, string query) => _searches.WalkAsync(type, query, SearchRules.IncludePayorRule);

    [Then("no {word} appears on more than one page")]
    public void ThenNothingRepeats(string type) => searchRules.RequireNoRepeats(_searches.Paged);

    [Then("the last page has no next link")]
    public void ThenThePagingEnds() => searchRules.RequireEnded(_searches.Paged);

    [Then("the pages together hold exactly the {word} resources a search without _count returns")]
    public Task ThenThePagesHoldTheSame(string type) => _searches.RequirePagesHoldTheUnpagedResultAsync(type);

    [Then("every payor of the Coverages returned is in the Bundle, marked as included")]
    public void ThenThePayorsAreIncluded() => searchRules.RequireIncludedPayors(_searches.Paged);
}
