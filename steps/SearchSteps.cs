using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class SearchSteps(ConformanceScenario scenario, SearchRules searchRules)
{
    private readonly MemberSearches _searches = new(scenario.Fhir, scenario.Evidence, searchRules);
    private (FhirResponse Response, string WhatIsWrong)? _invalid;

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

    [When("the app searches {word} by {string} and {string} together with the values of a(n) {word} it holds")]
    public Task WhenTheAppSearchesByBoth(string type, string first, string second, string heldType) => _searches.SearchCombinedAsync(type, first, second);

    [Then("every {word} returned matches both parameters")]
    public void ThenEveryResultMatchesBoth(string type) => searchRules.RequireOnlyCombinedMatches(scenario.Fhir.Found, _searches.Combined);

    [Then("the {word} the values were taken from is among them")]
    public void ThenTheCombinedSourceIsAmongThem(string type) => searchRules.RequireCombinedSourceReturned(scenario.Fhir.Found, _searches.Combined);

    [When("the app keeps the first value and searches with a value for the second parameter that none of those {word} resources has")]
    public Task WhenTheAppSearchesBothWithNoMatch(string type) => _searches.SearchCombinedWithNoMatchAsync();

    [Then("that search holds no {word}")]
    public void ThenTheCombinedControlIsEmpty(string type)
    {
        // Nothing was sent when every candidate value matches; the evidence says so.
        if (_searches.CombinedNoMatchFound() is { } control) searchRules.RequireCombinedNoneReturned(control.Found, control.Criteria);
    }

    [When("the app searches {word} {int} at a time and follows every next link")]
    public Task WhenTheAppPages(string type, int count) => _searches.WalkAsync(type, $"_count={count}", SearchRules.PagingRule);

    [When("the app searches {word} with {string} to include the payors")]
    public Task WhenTheAppIncludesPayors(string type, string query) => _searches.WalkAsync(type, query, SearchRules.IncludePayorRule);

    [When("the app searches {word} with {string} to include the beneficiaries")]
    public Task WhenTheAppIncludesBeneficiaries(string type, string query) => _searches.WalkAsync(type, query, SearchRules.IncludeBeneficiaryRule);

    [Then("every beneficiary of the Coverages returned that the member may read is in the Bundle, marked as included")]
    public Task ThenTheBeneficiariesAreIncluded() => searchRules.RequireIncludedBeneficiariesAsync(_searches.Paged, scenario.Fhir);

    [When("the app searches {word} with {string}, {string}")]
    public async Task WhenTheAppSearchesWithAnInvalidValue(string type, string query, string whatIsWrong)
    {
        _invalid = (await scenario.Fhir.GetAsync($"{type}?{query}"), whatIsWrong);
    }

    [Then("the server refuses it with 400 Bad Request and an OperationOutcome")]
    public void ThenTheInvalidSearchIsRefused() =>
        searchRules.RequireRefusedAsInvalid(_invalid?.Response ?? throw new InvalidOperationException("A step must first search with an invalid value."), _invalid.Value.WhatIsWrong);

    [When("the app searches {word} with {string}, {string}, asking for strict handling")]
    public async Task WhenTheAppSearchesStrictly(string type, string query, string whatIsWrong)
    {
        _invalid = (await scenario.Fhir.Api.GetAsync($"{type}?{query}", new Dictionary<string, string> { ["Prefer"] = "handling=strict" }), whatIsWrong);
    }

    [Then("the server refuses it under strict handling with 400 Bad Request and an OperationOutcome")]
    public void ThenTheStrictSearchIsRefused() =>
        searchRules.RequireRefusedUnderStrictHandling(_invalid?.Response ?? throw new InvalidOperationException("A step must first search with strict handling."), _invalid.Value.WhatIsWrong);

    [Then("no {word} appears on more than one page")]
    public void ThenNothingRepeats(string type) => searchRules.RequireNoRepeats(_searches.Paged);

    [Then("the last page has no next link")]
    public void ThenThePagingEnds() => searchRules.RequireEnded(_searches.Paged);

    [Then("the pages together hold exactly the {word} resources a search without _count returns")]
    public Task ThenThePagesHoldTheSame(string type) => _searches.RequirePagesHoldTheUnpagedResultAsync(type);

    [Then("every payor of the Coverages returned is in the Bundle, marked as included")]
    public void ThenThePayorsAreIncluded() => searchRules.RequireIncludedPayors(_searches.Paged, scenario.Fhir.Api.BaseUrl);
}
