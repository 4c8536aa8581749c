using DigitalInsurance.Conformance.Support.Fhir;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>Checks on what searches return: only matches, the expected ones among them, paging and _include.</summary>
public sealed class SearchRules(Check check)
{
    public static readonly Requirement PagingRule = Requirements.FhirSearchPaging;
    public static readonly Requirement IncludePayorRule = Requirements.C4dicSearchIncludePayor;
    public static readonly Requirement IncludeBeneficiaryRule = Requirements.C4dicSearchIncludeBeneficiary;
    public static readonly Requirement InvalidValueRule = Requirements.C4dicSearchInvalidValue;
    public static readonly Requirement StrictHandlingRule = Requirements.FhirSearchStrictHandling;
    public static readonly Requirement CombinationRule = Requirements.C4dicSearchCombination;

    /// <summary>
    /// Searches and follows the next links to the end (<see cref="FhirConversation.WalkSearchAsync"/>), then judges the
    /// walk: the first page under <paramref name="rule"/> (the requirement the search serves), each later page and how
    /// the walk ended under fhir-search-paging.
    /// </summary>
    public async Task SearchAsync(FhirConversation fhir, string resourceType, string? query, Requirement rule, CancellationToken cancellationToken = default) =>
        RequireWalkedToTheEnd(await fhir.WalkSearchAsync(resourceType, query, cancellationToken), rule);

    public void RequireWalkedToTheEnd(SearchWalk walk, Requirement rule)
    {
        new ResponseRules(check).RequireSearchset(walk.Pages[0], rule);
        foreach (var page in walk.Pages.Skip(1)) new ResponseRules(check).RequireSearchset(page, PagingRule);
        switch (walk.End)
        {
            case SearchWalkEnd.PageLimit:
                check.That(false, PagingRule, $"A search must end within {FhirConversation.MaxPages} pages of its next links.",
                    $"{walk.ResourceType} still had a next link after {FhirConversation.MaxPages} pages");
                break;
            case SearchWalkEnd.RepeatedLink:
                check.That(false, PagingRule, "A search's next link must lead to a page not seen before.", $"next link {walk.UnfollowedLink} repeats");
                break;
        }
    }

    /// <summary>A search walked page by page (<see cref="PagedSearch"/>), every page a 200 searchset Bundle (checked under <paramref name="rule"/>).</summary>
    public async Task<PagedSearch> WalkPagedAsync(FhirConversation fhir, string request, Requirement rule, CancellationToken cancellationToken = default)
    {
        var paged = await PagedSearch.WalkAsync(fhir, request, cancellationToken);
        foreach (var response in paged.Responses) new ResponseRules(check).RequireSearchset(response, rule);
        return paged;
    }

    /// <summary>How the search value was taken, for the scenario's evidence.</summary>
    public string Explain(SearchCriteria criteria)
    {
        var search = criteria.Search;
        var held = criteria.HeldMatches.Select(r => r.Reference).ToList();
        var note = held.Count == criteria.HeldOfType
            ? $"Every {search.ResourceType} the member holds has this value, so this search alone cannot show a server that ignores {search.Parameter}: the search with a value none of them has does."
            : $"The member holds {criteria.HeldOfType} {search.ResourceType} resources; this value matches the fewest of them, so a server ignoring {search.Parameter} would also return ones that do not match.";
        return $"Search: {search.ResourceType}?{criteria.Describe()}\n" +
               $"The value is {search.ValueTakenFrom}, taken from {criteria.Source.Reference}.\n" +
               $"Held resources it matches: {string.Join(", ", held)}.\n" +
               note;
    }

    /// <summary>What the negative control sends and why it must come back empty, for the scenario's evidence.</summary>
    public string Explain(C4dicSearch search, NoMatchCriteria? noMatch) => noMatch is null
        ? $"Not searched: every candidate for {search.NoMatchDescription} ({string.Join("; ", search.NoMatchCandidates.Select(search.Describe))}) " +
          $"matches one of the {search.ResourceType} resources the member holds, so no value is left that a server applying {search.Parameter} would answer with nothing."
        : $"Search: {search.ResourceType}?{noMatch.Describe()}\n" +
          $"The value is {search.NoMatchDescription}: none of the {noMatch.HeldOfType} {search.ResourceType} resources the member holds matches it, " +
          $"so a server applying {search.Parameter} returns no {search.ResourceType}; one ignoring it returns what the member holds.";

    /// <summary>The negative control returned no resource of the searched type: a match means the server ignored the parameter.</summary>
    public void RequireNoneReturned(IReadOnlyList<ReceivedResource> found, NoMatchCriteria noMatch)
    {
        var returned = found.Where(r => r.TypeName == noMatch.ResourceType).Select(r => r.Reference).ToList();
        check.That(returned.Count == 0, noMatch.Search.Rule,
            $"{noMatch.ResourceType}?{noMatch.Describe()} must return no {noMatch.ResourceType}: its value is {noMatch.Search.NoMatchDescription}, " +
            $"which none of the member's {noMatch.HeldOfType} {noMatch.ResourceType} resources has.",
            $"it returned {Join(returned)}: the server ignored the {noMatch.Search.Parameter} parameter");
    }

    /// <summary>Every resource the search returned as a match is of the searched type and meets the criteria.</summary>
    public void RequireOnlyMatches(IReadOnlyList<ReceivedResource> found, SearchCriteria criteria)
    {
        var rule = criteria.Search.Rule;
        var wrongType = found.Where(r => r.TypeName != criteria.ResourceType).Select(r => r.Reference).ToList();
        check.That(wrongType.Count == 0, rule, $"A {criteria.ResourceType} search must return only {criteria.ResourceType} resources as matches.",
            string.Join(", ", wrongType));
        var mismatches = found.Where(r => !criteria.Matches(r.Resource))
            .Select(r => $"{r.Reference} has {criteria.Search.Parameter} {ValuesOf(r.Resource, criteria.Search.Definition)}")
            .ToList();
        check.That(mismatches.Count == 0, rule,
            $"Every {criteria.ResourceType} returned by {criteria.ResourceType}?{criteria.Describe()} must match {criteria.Describe()}.",
            string.Join("; ", mismatches));
    }

    /// <summary>The resource the value was taken from is among the results.</summary>
    public void RequireSourceReturned(IReadOnlyList<ReceivedResource> found, SearchCriteria criteria) =>
        check.That(found.Any(r => r.Reference == criteria.Source.Reference), criteria.Search.Rule,
            $"{criteria.ResourceType}?{criteria.Describe()} must return {criteria.Source.Reference}, whose {criteria.Search.ValueTakenFrom} the value was taken from.",
            $"it returned {string.Join(", ", found.Select(r => r.Reference).DefaultIfEmpty("nothing"))}");

    /// <summary>How the two search values were taken, for the scenario's evidence.</summary>
    public string Explain(CombinedCriteria criteria)
    {
        var (first, second) = (criteria.First.Search, criteria.Second.Search);
        return $"Search: {criteria.ResourceType}?{criteria.Describe()}\n" +
               $"The values are {first.ValueTakenFrom} and {second.ValueTakenFrom}, both taken from {criteria.Source.Reference}.\n" +
               $"Held resources matching both: {Join(criteria.HeldMatches.Select(r => r.Reference))}.\n" +
               $"Of the member's {criteria.HeldOfType} {criteria.ResourceType} resources, this pair is the one the most match only one half of: a server applying only one of the two parameters returns those.";
    }

    /// <summary>What the combined negative control sends and why it must come back empty, for the scenario's evidence.</summary>
    public string ExplainNoMatch(CombinedCriteria found, CombinedCriteria? noMatch)
    {
        var second = found.Second.Search;
        return noMatch is null
            ? $"Not searched: every candidate for {second.NoMatchDescription} matches one of the {found.ResourceType} resources that match {found.First.Describe()}."
            : $"Search: {found.ResourceType}?{noMatch.Describe()}\n" +
              $"{found.First.Describe()} matches {found.Source.Reference}; {second.Parameter} is {second.NoMatchDescription}, which none of them has: " +
              $"a server applying both parameters returns no {found.ResourceType}, one ignoring {second.Parameter} returns {found.Source.Reference}.";
    }

    /// <summary>Every resource a search by two parameters returned as a match meets both.</summary>
    public void RequireOnlyCombinedMatches(IReadOnlyList<ReceivedResource> found, CombinedCriteria criteria)
    {
        var mismatches = found.Where(r => r.TypeName != criteria.ResourceType || !criteria.Matches(r.Resource))
            .Select(r => r.TypeName != criteria.ResourceType
                ? $"{r.Reference} is not a {criteria.ResourceType}"
                : $"{r.Reference} has {criteria.First.Search.Parameter} {ValuesOf(r.Resource, criteria.First.Search.Definition)} and {criteria.Second.Search.Parameter} {ValuesOf(r.Resource, criteria.Second.Search.Definition)}")
            .ToList();
        check.That(mismatches.Count == 0, CombinationRule,
            $"Every {criteria.ResourceType} returned by {criteria.ResourceType}?{criteria.Describe()} must match both {criteria.First.Describe()} and {criteria.Second.Describe()}.",
            string.Join("; ", mismatches));
    }

    public void RequireCombinedSourceReturned(IReadOnlyList<ReceivedResource> found, CombinedCriteria criteria) =>
        check.That(found.Any(r => r.Reference == criteria.Source.Reference), CombinationRule,
            $"{criteria.ResourceType}?{criteria.Describe()} must return {criteria.Source.Reference}, whose values were taken for both parameters.",
            $"it returned {Join(found.Select(r => r.Reference))}");

    public void RequireCombinedNoneReturned(IReadOnlyList<ReceivedResource> found, CombinedCriteria noMatch)
    {
        var returned = found.Where(r => r.TypeName == noMatch.ResourceType).Select(r => r.Reference).ToList();
        check.That(returned.Count == 0, CombinationRule,
            $"{noMatch.ResourceType}?{noMatch.Describe()} must return no {noMatch.ResourceType}: none of the member's {noMatch.ResourceType} resources matching {noMatch.First.Describe()} has {noMatch.Second.Describe()}.",
            $"it returned {Join(returned)}: the server ignored {noMatch.Second.Search.Parameter} next to {noMatch.First.Search.Parameter}");
    }

    /// <summary>A search whose value is not of its parameter's type is refused: 400, with an OperationOutcome saying why.</summary>
    public void RequireRefusedAsInvalid(FhirResponse response, string whatIsWrong) => RequireRefused(response, whatIsWrong, InvalidValueRule);

    /// <summary>A search with a parameter the server does not know, under <c>Prefer: handling=strict</c>, is refused the same way.</summary>
    public void RequireRefusedUnderStrictHandling(FhirResponse response, string whatIsWrong) => RequireRefused(response, whatIsWrong, StrictHandlingRule);

    private void RequireRefused(FhirResponse response, string whatIsWrong, Requirement rule)
    {
        var request = $"{response.Method} {response.RequestUri.PathAndQuery}";
        check.That(response.Status == System.Net.HttpStatusCode.BadRequest, rule,
            $"{request} has {whatIsWrong}: the server must refuse it with 400 Bad Request.", response.Describe());
        new ResponseRules(check).RequireFhirJson(response, rule);
        check.That(response.Resource is OperationOutcome, rule,
            $"The 400 answer to {request} must carry an OperationOutcome saying what is wrong.",
            response.Resource is { } resource ? $"a {resource.TypeName}" : response.ParseProblem);
    }

    public void RequireEnded(PagedSearch paged) =>
        check.That(!paged.StoppedWithNextLink, PagingRule, $"A search must reach a page without a next link within {FhirConversation.MaxPages} pages.",
            $"{paged.Request} still had a next link on page {paged.Pages.Count}");

    public void RequireNoRepeats(PagedSearch paged)
    {
        var repeats = paged.Matches.GroupBy(e => e.Reference)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} on pages {string.Join(", ", g.Select(e => e.Page))}")
            .ToList();
        check.That(repeats.Count == 0, PagingRule, "Following a search's next links must return each match once.",
            string.Join("; ", repeats) + $" (pages read: {string.Join(", ", paged.PageUris.Select(u => u.PathAndQuery))})");
    }

    /// <summary>The pages together hold exactly the resources of the same search without paging.</summary>
    public void RequireSameAs(PagedSearch paged, IReadOnlyList<ReceivedResource> unpaged)
    {
        var pagedSet = paged.Matches.Select(e => e.Reference).ToHashSet(StringComparer.Ordinal);
        var unpagedSet = unpaged.Select(r => r.Reference).ToHashSet(StringComparer.Ordinal);
        var missing = unpagedSet.Except(pagedSet).ToList();
        var extra = pagedSet.Except(unpagedSet).ToList();
        check.That(missing.Count == 0 && extra.Count == 0, PagingRule,
            "The pages of a search must together hold exactly what the search returns without paging.",
            $"missing from the pages: {Join(missing)}; only on the pages: {Join(extra)}");
    }

    /// <summary>
    /// Every Organization the returned Coverages name as payor is in the Bundle, marked search.mode = include; and
    /// everything the Bundle includes is such a payor.
    /// </summary>
    public void RequireIncludedPayors(PagedSearch paged, Uri fhirBase) =>
        RequireIncluded(paged, fhirBase, new("payor", "an Organization", "Organization/", c => c.Payor), IncludePayorRule);

    /// <summary>
    /// The same for _include=Coverage:beneficiary, for the beneficiaries the member's token can read (FHIR leaves out of
    /// an _include what the client may not see: a dependant's Coverage may name a beneficiary outside the member's
    /// compartment); each one not included is read to tell. Coverages without a beneficiary leave nothing to include:
    /// the scenario is skipped, as a missing beneficiary is c4dic-coverage-beneficiary's to judge.
    /// </summary>
    public async Task RequireIncludedBeneficiariesAsync(PagedSearch paged, FhirConversation fhir)
    {
        var coverages = paged.Matches.Select(e => e.Resource).OfType<Coverage>().ToList();
        if (coverages.Count > 0 && coverages.All(c => c.Beneficiary?.Reference is null))
            NUnit.Framework.Assert.Ignore("None of the Coverages returned names a beneficiary, so _include=Coverage:beneficiary has nothing to include (a Coverage without beneficiary is c4dic-coverage-beneficiary's to judge).");
        var included = paged.Entries.Where(e => e.Mode == Bundle.SearchEntryMode.Include).Select(e => e.Reference).ToHashSet(StringComparer.Ordinal);
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var beneficiary in coverages.Select(c => FhirReference.Normalize(c.Beneficiary?.Reference, fhir.Api.BaseUrl)).OfType<string>().Where(r => r.StartsWith("Patient/", StringComparison.Ordinal)).Distinct())
            if (!included.Contains(beneficiary) && (await fhir.ReadAsync(beneficiary)).Resource is null)
                unreadable.Add(beneficiary);
        RequireIncluded(paged, fhir.Api.BaseUrl, new("beneficiary", "a Patient", "Patient/",
            c => c.Beneficiary is null || unreadable.Contains(FhirReference.Normalize(c.Beneficiary.Reference, fhir.Api.BaseUrl) ?? "") ? [] : [c.Beneficiary]), IncludeBeneficiaryRule);
    }

    /// <summary>A reference element of Coverage that _include follows: its name, what it must name ("an Organization") and that type's reference prefix.</summary>
    private sealed record IncludedElement(string Name, string Target, string TargetPrefix, Func<Coverage, IEnumerable<ResourceReference>> References);

    private void RequireIncluded(PagedSearch paged, Uri fhirBase, IncludedElement element, Requirement rule)
    {
        var include = $"_include=Coverage:{element.Name}";
        var coverages = paged.Matches.Where(e => e.Resource is Coverage).Select(e => (Coverage)e.Resource).ToList();
        check.That(coverages.Count > 0, rule, $"Coverage?{include} must return the member's Coverages.", "no Coverage was returned");
        var targets = coverages.SelectMany(c => element.References(c).Select(p => FhirReference.Normalize(p.Reference, fhirBase)))
            .OfType<string>()
            .Where(r => r.StartsWith(element.TargetPrefix, StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        check.That(targets.Count > 0, rule, $"The Coverages returned must name {element.Target} as {element.Name}.", $"no {element.Name} refers to {element.Target}");

        var unmarked = paged.Entries.Where(e => e.Resource is not Coverage && e.Mode != Bundle.SearchEntryMode.Include).Select(e => e.Reference).ToList();
        check.That(unmarked.Count == 0, rule, "Resources returned because of _include must be marked search.mode = include.",
            $"{Join(unmarked)} returned without search.mode include");
        var included = paged.Entries.Where(e => e.Mode == Bundle.SearchEntryMode.Include).Select(e => e.Reference).ToHashSet(StringComparer.Ordinal);
        var missing = targets.Except(included).ToList();
        check.That(missing.Count == 0, rule, $"{include} must return every {element.Name} the returned Coverages refer to.",
            $"missing: {Join(missing)}; included: {Join(included)}");
        var strays = included.Except(targets).ToList();
        check.That(strays.Count == 0, rule, $"{include} must include only the Coverages' {element.Name}s.", $"also included: {Join(strays)}");
    }

    private string ValuesOf(Resource resource, FhirSearchParameter parameter)
    {
        var values = parameter.ElementsOf(resource).Select(SearchMatching.Describe).ToList();
        return values.Count == 0 ? "(none)" : string.Join(", ", values);
    }

    private string Join(IEnumerable<string> references)
    {
        var list = references.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
