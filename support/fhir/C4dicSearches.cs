using System.Globalization;
using Hl7.Fhir.Model;

namespace DigitalInsurance.Conformance.Support.Fhir;

/// <summary>
/// One search the C4DIC CapabilityStatement marks SHALL, and how the harness takes a value for it from a resource the
/// member holds. Each candidate is the list of values to send, one per occurrence of the parameter (all must match).
/// </summary>
public sealed record C4dicSearch(string ResourceType, string Parameter, string ValueTakenFrom, Func<Resource, IEnumerable<string[]>> Candidates)
{
    public FhirSearchParameter Definition { get; } = FhirSearchParameter.For(ResourceType, Parameter);

    /// <summary>The requirement id, e.g. c4dic-search-coverage-status, c4dic-search-patient-last-updated.</summary>
    public string Rule => $"c4dic-search-{ResourceType.ToLowerInvariant()}-{Kebab(Parameter.TrimStart('_'))}";

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

/// <summary>
/// Every search the C4DIC 1.0.0 CapabilityStatement (rest.resource.searchParam) marks SHALL, each with the element of
/// the member's own resources its value is taken from.
/// </summary>
public static class C4dicSearches
{
    public static IReadOnlyList<C4dicSearch> All { get; } =
    [
        Id("Coverage"),
        new("Coverage", "_profile", "Coverage.meta.profile", r => Each(r.Meta?.Profile)),
        LastUpdated("Coverage"),
        new("Coverage", "beneficiary", "Coverage.beneficiary", r => EachReference(((Coverage)r).Beneficiary)),
        new("Coverage", "subscriber", "Coverage.subscriber", r => EachReference(((Coverage)r).Subscriber)),
        new("Coverage", "patient", "Coverage.beneficiary", r => EachReference(((Coverage)r).Beneficiary)),
        Identifier("Coverage", r => ((Coverage)r).Identifier),
        new("Coverage", "period", "Coverage.period, as ge start and le end", r => PeriodBounds(((Coverage)r).Period)),
        new("Coverage", "status", "Coverage.status", r => Each(((Coverage)r).StatusElement?.ToString())),
        Id("Patient"),
        LastUpdated("Patient"),
        Identifier("Patient", r => ((Patient)r).Identifier),
        new("Patient", "name", "Patient.name.family", r => ((Patient)r).Name.Select(n => n.Family).OfType<string>().Distinct().Select(f => new[] { SearchMatching.Escape(f) })),
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

    private static C4dicSearch Id(string type) =>
        new(type, "_id", $"{type}.id", r => Each(r.Id));

    private static C4dicSearch LastUpdated(string type) =>
        new(type, "_lastUpdated", $"{type}.meta.lastUpdated, as ge and le", r =>
            r.Meta?.LastUpdated is { } updated ? [[$"ge{Instant(updated)}", $"le{Instant(updated)}"]] : []);

    private static C4dicSearch Identifier(string type, Func<Resource, List<Identifier>> identifiers) =>
        new(type, "identifier", $"{type}.identifier, as system|value", r => identifiers(r)
            .Where(i => !string.IsNullOrEmpty(i.Value))
            .Select(i => new[] { i.System is null ? SearchMatching.Escape(i.Value) : $"{SearchMatching.Escape(i.System)}|{SearchMatching.Escape(i.Value)}" }));

    private static IEnumerable<string[]> Each(IEnumerable<string>? values) => (values ?? []).Distinct().Select(v => new[] { SearchMatching.Escape(v) });

    private static IEnumerable<string[]> Each(string? value) => value is null ? [] : [[SearchMatching.Escape(value)]];

    private static IEnumerable<string[]> EachReference(ResourceReference? reference) =>
        FhirReference.Normalize(reference?.Reference) is { } normalized && normalized.Contains('/') ? [[SearchMatching.Escape(normalized)]] : [];

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
    public string Query => string.Join("&", Values.Select(v => $"{Search.Parameter}={Uri.EscapeDataString(v)}"));

    public bool Matches(Resource resource) => Values.All(v => SearchMatching.Matches(resource, Search.Definition, v));

    /// <summary>The criteria as a person reads them: "status=cancelled", "_lastUpdated=ge…&amp;_lastUpdated=le…".</summary>
    public string Describe() => string.Join("&", Values.Select(v => $"{Search.Parameter}={v}"));
}
