using DigitalInsurance.Conformance.Support.Rules;
using System.Globalization;
using Hl7.Fhir.Model;

namespace DigitalInsurance.Conformance.Support.Fhir;

/// <summary>
/// One search the C4DIC CapabilityStatement marks SHALL, and how the harness takes a value for it from a resource the
/// member holds. Each candidate is the list of values to send, one per occurrence of the parameter (all must match).
/// <paramref name="NoMatchCandidates"/> are well-formed values meant to match nothing the member holds (the first that
/// indeed matches none of the held resources is sent): a server that ignores the parameter still answers them.
/// </summary>
public sealed record C4dicSearch(
    string ResourceType, string Parameter, string ValueTakenFrom, Func<Resource, IEnumerable<string[]>> Candidates,
    string NoMatchDescription, IReadOnlyList<string[]> NoMatchCandidates)
{
    public FhirSearchParameter Definition { get; } = FhirSearchParameter.For(ResourceType, Parameter);

    /// <summary>The catalogue's rule for this search, e.g. c4dic-search-coverage-status.</summary>
    public Requirement Rule { get; } = Requirements.SearchBy(ResourceType, Parameter);

    /// <summary>The query string as sent (values percent-encoded), one occurrence of the parameter per value.</summary>
    public string Query(IReadOnlyList<string> values) => string.Join("&", values.Select(v => $"{Parameter}={Uri.EscapeDataString(v)}"));

    /// <summary>The criteria as a person reads them: "status=cancelled", "_lastUpdated=ge…&amp;_lastUpdated=le…".</summary>
    public string Describe(IReadOnlyList<string> values) => string.Join("&", values.Select(v => $"{Parameter}={v}"));

    public bool Matches(Resource resource, IReadOnlyList<string> values) => values.All(v => SearchMatching.Matches(resource, Definition, v));
}

/// <summary>
/// Every search the C4DIC 1.0.0 CapabilityStatement (rest.resource.searchParam) marks SHALL, each with the element of
/// the member's own resources its value is taken from and the values meant to match none of them.
/// </summary>
public static class C4dicSearches
{
    /// <summary>An id, reference target and name no payer gives a member: the negative controls are built from it.</summary>
    public const string NoSuchValue = "dic-conformance-no-such-value";

    private const string NoSuchPatient = $"Patient/{NoSuchValue}";
    private const string C4dicProfiles = "http://hl7.org/fhir/us/insurance-card/StructureDefinition/";

    // Far in the past: no resource a payer serves today was last updated, or is in force, on 1 January 1900.
    private static readonly string[] FarPastInstant = ["ge1900-01-01T00:00:00Z", "le1900-01-01T23:59:59Z"];
    private static readonly string[] FarPastDay = ["ge1900-01-01", "le1900-01-01"];

    public static IReadOnlyList<C4dicSearch> All { get; } =
    [
        Id("Coverage"),
        new("Coverage", "_profile", "Coverage.meta.profile", r => Each(r.Meta?.Profile),
            "the C4DIC profile of another resource type", [[$"{C4dicProfiles}C4DIC-Patient"], [$"{C4dicProfiles}C4DIC-Organization"]]),
        LastUpdated("Coverage"),
        new("Coverage", "beneficiary", "Coverage.beneficiary", r => EachReference(((Coverage)r).Beneficiary), "a Patient that does not exist", [[NoSuchPatient]]),
        new("Coverage", "subscriber", "Coverage.subscriber", r => EachReference(((Coverage)r).Subscriber), "a Patient that does not exist", [[NoSuchPatient]]),
        new("Coverage", "patient", "Coverage.beneficiary", r => EachReference(((Coverage)r).Beneficiary), "a Patient that does not exist", [[NoSuchPatient]]),
        Identifier("Coverage", r => ((Coverage)r).Identifier),
        new("Coverage", "period", "Coverage.period, as ge start and le end", r => PeriodBounds(((Coverage)r).Period),
            "a day in 1900, as ge and le", [FarPastDay]),
        new("Coverage", "status", "Coverage.status", r => Each(((Coverage)r).StatusElement?.ToString()),
            "a status none of the member's Coverages has",
            Enum.GetValues<FinancialResourceStatusCodes>().Select(c => new[] { Hl7.Fhir.Utility.EnumUtility.GetLiteral(c)! }).ToList()),
        Id("Patient"),
        LastUpdated("Patient"),
        Identifier("Patient", r => ((Patient)r).Identifier),
        new("Patient", "name", "Patient.name.family", r => ((Patient)r).Name.Select(n => n.Family).OfType<string>().Distinct().Select(f => new[] { SearchMatching.Escape(f) }),
            "a name no member has", [[NoSuchValue]]),
        Id("Organization"),
    ];

    public static C4dicSearch Find(string resourceType, string parameter) =>
        All.FirstOrDefault(s => s.ResourceType == resourceType && s.Parameter == parameter)
        ?? throw new ArgumentException(
            $"\"{resourceType}\" by \"{parameter}\" is not a search the C4DIC CapabilityStatement marks SHALL. Those are: " +
            string.Join(", ", All.Select(s => $"{s.ResourceType} {s.Parameter}")) + ".");

    /// <summary>
    /// Of every value the held resources offer, the one that matches the fewest of them (the first such, in the order
    /// they were found): a server that ignored the parameter would then return resources that do not match.
    /// Null when none of the held resources has a value for the parameter.
    /// </summary>
    public static SearchCriteria? MostSelective(C4dicSearch search, IReadOnlyList<ReceivedResource> held)
    {
        var ofType = held.Where(r => r.TypeName == search.ResourceType).ToList();
        SearchCriteria? best = null;
        foreach (var source in ofType)
            foreach (var values in search.Candidates(source.Resource))
            {
                var criteria = new SearchCriteria(search, values, source, [], ofType.Count);
                if (!criteria.Matches(source.Resource))
                    throw new InvalidOperationException($"The value {criteria.Describe()} taken from {source.Reference} does not match it: the harness's search derivation is wrong.");
                var matches = ofType.Where(r => criteria.Matches(r.Resource)).ToList();
                if (best is null || matches.Count < best.HeldMatches.Count) best = criteria with { HeldMatches = matches };
            }
        return best;
    }

    /// <summary>
    /// The negative control: the first of the search's no-match values that none of the held resources matches. Every
    /// resource of the type the member may get is held, so a server that applies the parameter returns none; one that
    /// ignores it returns them all. Null when every candidate matches a held resource (nothing can show it then).
    /// </summary>
    public static NoMatchCriteria? NoMatch(C4dicSearch search, IReadOnlyList<ReceivedResource> held)
    {
        var ofType = held.Where(r => r.TypeName == search.ResourceType).ToList();
        return search.NoMatchCandidates
            .Where(values => !ofType.Any(r => search.Matches(r.Resource, values)))
            .Select(values => new NoMatchCriteria(search, values, ofType.Count))
            .FirstOrDefault();
    }

    /// <summary>
    /// Two searches sent together, with the values one held resource offers for both. Of all such pairs, the one that
    /// the most held resources match on the first parameter but not the second (a server ignoring the second returns
    /// those), then on the second but not the first, then the fewest match both. Null when no held resource has a value
    /// for both parameters.
    /// </summary>
    public static CombinedCriteria? MostSelective(C4dicSearch first, C4dicSearch second, IReadOnlyList<ReceivedResource> held)
    {
        var ofType = held.Where(r => r.TypeName == first.ResourceType).ToList();
        CombinedCriteria? best = null;
        (int FirstOnly, int SecondOnly, int NotBoth) bestScore = (-1, -1, -1);
        foreach (var source in ofType)
            foreach (var firstValues in first.Candidates(source.Resource))
                foreach (var secondValues in second.Candidates(source.Resource))
                {
                    var criteria = new CombinedCriteria(
                        new SearchCriteria(first, firstValues, source, [], ofType.Count), new SearchCriteria(second, secondValues, source, [], ofType.Count), [], ofType.Count);
                    var both = ofType.Where(r => criteria.Matches(r.Resource)).ToList();
                    var score = (
                        ofType.Count(r => criteria.First.Matches(r.Resource) && !criteria.Second.Matches(r.Resource)),
                        ofType.Count(r => criteria.Second.Matches(r.Resource) && !criteria.First.Matches(r.Resource)),
                        ofType.Count - both.Count);
                    if (score.CompareTo(bestScore) > 0)
                    {
                        best = criteria with { HeldMatches = both };
                        bestScore = score;
                    }
                }
        return best;
    }

    /// <summary>
    /// The combined negative control: the first value kept, the second one of its no-match values that none of the held
    /// resources matching the first has. A server applying both returns none; one ignoring the second returns what
    /// matches the first (the resource the first value came from, at least). Null when every candidate matches.
    /// </summary>
    public static CombinedCriteria? NoMatch(CombinedCriteria found, IReadOnlyList<ReceivedResource> held)
    {
        var ofType = held.Where(r => r.TypeName == found.ResourceType).ToList();
        return found.Second.Search.NoMatchCandidates
            .Select(values => found with { Second = found.Second with { Values = values }, HeldMatches = [] })
            .FirstOrDefault(criteria => !ofType.Any(r => criteria.Matches(r.Resource)));
    }

    private static C4dicSearch Id(string type) =>
        new(type, "_id", $"{type}.id", r => Each(r.Id), "an id that does not exist", [[NoSuchValue]]);

    private static C4dicSearch LastUpdated(string type) =>
        new(type, "_lastUpdated", $"{type}.meta.lastUpdated, as ge and le", r =>
            r.Meta?.LastUpdated is { } updated ? [[$"ge{Instant(updated)}", $"le{Instant(updated)}"]] : [],
            "a day in 1900, as ge and le", [FarPastInstant]);

    private static C4dicSearch Identifier(string type, Func<Resource, List<Identifier>> identifiers) =>
        new(type, "identifier", $"{type}.identifier, as system|value", r => identifiers(r)
            .Where(i => !string.IsNullOrEmpty(i.Value))
            .Select(i => new[] { i.System is null ? SearchMatching.Escape(i.Value!) : $"{SearchMatching.Escape(i.System)}|{SearchMatching.Escape(i.Value!)}" }),
            "an identifier system|value that does not exist", [[$"https://dic-conformance.example/no-such-identifier-system|{NoSuchValue}"]]);

    private static IEnumerable<string[]> Each(IEnumerable<string?>? values) => (values ?? []).OfType<string>().Distinct().Select(v => new[] { SearchMatching.Escape(v) });

    private static IEnumerable<string[]> Each(string? value) => value is null ? [] : [[SearchMatching.Escape(value)]];

    private static IEnumerable<string[]> EachReference(ResourceReference? reference) =>
        FhirReference.TypeAndId(reference?.Reference) is { } normalized && normalized.Contains('/') ? [[SearchMatching.Escape(normalized)]] : [];

    /// <summary>
    /// "ge start" alone would match nearly every Coverage; with "le end" it finds the Coverages in force at some time
    /// in the period. ("le start" would miss the Coverage itself: FHIR's le needs the period to begin before the day.)
    /// </summary>
    private static IEnumerable<string[]> PeriodBounds(Period? period)
    {
        var bounds = new List<string>();
        if (period?.Start is { } start) bounds.Add($"ge{start}");
        if (period?.End is { } end) bounds.Add($"le{end}");
        return bounds.Count == 0 ? [] : [bounds.ToArray()];
    }

    /// <summary>An instant as FHIR writes it, to the precision it has, in UTC.</summary>
    private static string Instant(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return utc.ToString(utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
    }
}

/// <summary>A search derived from a held resource: the values sent, the resource they came from and the held resources they match.</summary>
/// <param name="HeldOfType">How many resources of the type the member holds.</param>
public sealed record SearchCriteria(C4dicSearch Search, IReadOnlyList<string> Values, ReceivedResource Source, IReadOnlyList<ReceivedResource> HeldMatches, int HeldOfType)
{
    public string ResourceType => Search.ResourceType;

    /// <summary>The query string as sent (values percent-encoded).</summary>
    public string Query => Search.Query(Values);

    public bool Matches(Resource resource) => Search.Matches(resource, Values);

    /// <summary>The criteria as a person reads them: "status=cancelled", "_lastUpdated=ge…&amp;_lastUpdated=le…".</summary>
    public string Describe() => Search.Describe(Values);
}

/// <summary>A search with values none of the member's <paramref name="HeldOfType"/> resources of the type matches.</summary>
public sealed record NoMatchCriteria(C4dicSearch Search, IReadOnlyList<string> Values, int HeldOfType)
{
    public string ResourceType => Search.ResourceType;
    public string Query => Search.Query(Values);
    public string Describe() => Search.Describe(Values);
}

/// <summary>Two searches of the same type sent together (C4DIC: "individually and in combination"); a match must meet both.</summary>
/// <param name="HeldMatches">The held resources that match both.</param>
public sealed record CombinedCriteria(SearchCriteria First, SearchCriteria Second, IReadOnlyList<ReceivedResource> HeldMatches, int HeldOfType)
{
    public string ResourceType => First.ResourceType;

    /// <summary>The resource both values were taken from.</summary>
    public ReceivedResource Source => First.Source;

    public string Query => $"{First.Query}&{Second.Query}";

    public bool Matches(Resource resource) => First.Matches(resource) && Second.Matches(resource);

    public string Describe() => $"{First.Describe()}&{Second.Describe()}";
}
