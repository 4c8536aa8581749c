using DigitalInsurance.Conformance.Support.Reporting;

using DigitalInsurance.Conformance.Support.Fhir;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// One scenario's searches with values taken from the member's own data: what the member holds (found without
/// criteria), the search derived from it, and paged searches walked page by page.
/// </summary>
public sealed class MemberSearches(FhirConversation fhir, ScenarioEvidence evidence, SearchRules searchRules)
{
    private List<ReceivedResource>? _held;
    private SearchCriteria? _criteria;
    private NoMatchCriteria? _noMatch;
    private bool _noMatchSearched;
    private PagedSearch? _paged;

    public IReadOnlyList<ReceivedResource> Held => _held ?? throw new InvalidOperationException("A step must first find the member's resources without criteria.");
    public SearchCriteria Criteria => _criteria ?? throw new InvalidOperationException("A step must first search with a value taken from the member's data.");
    public PagedSearch Paged => _paged ?? throw new InvalidOperationException("A step must first walk a search's pages.");

    /// <summary>What the member's token returns for the type without criteria (every page).</summary>
    public async Task HoldAsync(string resourceType)
    {
        await searchRules.SearchAsync(fhir, resourceType, null, Requirements.FhirSearch);
        _held = fhir.Found.ToList();
    }

    /// <summary>
    /// Searches by the parameter with the most selective value the held resources offer. A member whose resources
    /// carry no value for the parameter leaves nothing to search with: the scenario is skipped, saying so.
    /// </summary>
    public async Task SearchByAsync(string resourceType, string parameter)
    {
        var search = C4dicSearches.Find(resourceType, parameter);
        _criteria = C4dicSearches.MostSelective(search, Held);
        if (_criteria is null)
            NUnit.Framework.Assert.Ignore(
                $"None of the member's {resourceType} resources has a value for {search.ValueTakenFrom}, so the harness cannot take a value for {resourceType}?{parameter} from the member's data.");
        evidence.AddText($"Search value for {resourceType} by {parameter}", "text/plain", "txt", searchRules.Explain(_criteria));
        await searchRules.SearchAsync(fhir, resourceType, _criteria.Query, search.Rule);
    }

    /// <summary>
    /// The negative control: searches by the parameter with a well-formed value none of the held resources has, so a
    /// server that ignores the parameter shows it by returning them. When every candidate value matches something the
    /// member holds, nothing is sent and the evidence says why.
    /// </summary>
    public async Task SearchWithNoMatchAsync(string resourceType, string parameter)
    {
        var search = C4dicSearches.Find(resourceType, parameter);
        _noMatchSearched = true;
        _noMatch = C4dicSearches.NoMatch(search, Held);
        evidence.AddText($"Value no {resourceType} matches, for {resourceType} by {parameter}", "text/plain", "txt", searchRules.Explain(search, _noMatch));
        if (_noMatch is not null) await searchRules.SearchAsync(fhir, resourceType, _noMatch.Query, search.Rule);
    }

    /// <summary>The negative control's matches; null when it could not be sent (see <see cref="SearchWithNoMatchAsync"/>).</summary>
    public (NoMatchCriteria Criteria, IReadOnlyList<ReceivedResource> Found)? NoMatchFound(string resourceType)
    {
        if (!_noMatchSearched) throw new InvalidOperationException("A step must first search with a value none of the member's resources has.");
        if (_noMatch is null) return null;
        if (_noMatch.ResourceType != resourceType)
            throw new InvalidOperationException($"The scenario searched {_noMatch.ResourceType}, not {resourceType}.");
        return (_noMatch, fhir.Found);
    }

    /// <summary>The matches of the last search, with the resource type and parameter the scenario names.</summary>
    public IReadOnlyList<ReceivedResource> FoundBy(string resourceType, string parameter)
    {
        if (Criteria.ResourceType != resourceType || Criteria.Search.Parameter != parameter)
            throw new InvalidOperationException($"The scenario searched {Criteria.ResourceType} by {Criteria.Search.Parameter}, not {resourceType} by {parameter}.");
        return fhir.Found;
    }

    public async Task WalkAsync(string resourceType, string query, Requirement rule) =>
        _paged = await searchRules.WalkPagedAsync(fhir, $"{resourceType}?{query}", rule);

    /// <summary>Searches the type again without _count (after the paged walk, so that a paging fault shows in the walk's own checks) and compares.</summary>
    public async Task RequirePagesHoldTheUnpagedResultAsync(string resourceType)
    {
        await HoldAsync(resourceType);
        if (Held.Count < 2)
            evidence.AddText("Paging not exercised", "text/plain", "txt",
                $"The member holds {Held.Count} {resourceType}: a search one at a time cannot show repeated or missing entries.");
        searchRules.RequireSameAs(Paged, Held);
    }
}
