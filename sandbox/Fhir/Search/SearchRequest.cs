using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Search;

/// <summary>
/// One search parameter as given (repeated parameters are separate criteria: AND); its values are alternatives (OR).
/// </summary>
internal sealed class SearchCriterion
{
    public required SearchParamDefinition Parameter { get; init; }
    public string? Modifier { get; init; }
    public IReadOnlyList<SearchValue> Values { get; init; } = [];

    /// <summary>:missing=true / false.</summary>
    public bool? Missing { get; init; }

    /// <summary>:not — matches resources none of whose values match.</summary>
    public bool Negated { get; init; }

    public required string Name { get; init; }
    public required string RawValue { get; init; }

    public bool Matches(Resource resource)
    {
        var elements = SearchExpression.Evaluate(resource, Parameter);
        if (Missing is { } missing) return missing == (elements.Count == 0);
        var any = elements.Any(e => Values.Any(v => v.Matches(e)));
        return Negated ? !any : any;
    }
}

/// <summary>An _include: resources the matches refer to through a reference parameter, optionally of one target type.</summary>
internal sealed record IncludeRequest(SearchParamDefinition Parameter, string? TargetType, string Raw);

/// <summary>A parsed search: criteria, includes and the page asked for.</summary>
internal sealed record SearchRequest(
    string ResourceType,
    IReadOnlyList<SearchCriterion> Criteria,
    IReadOnlyList<IncludeRequest> Includes,
    int Count,
    int Offset,
    bool CountOnly)
{
    public const int DefaultCount = 20;
    public const int MaxCount = 100;

    /// <summary>The sandbox's page offset parameter, as in HAPI FHIR's next links.</summary>
    public const string OffsetParameter = "_getpagesoffset";

    /// <summary>The criteria and includes as query parameters, in request order, for self/next/previous links.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> LinkParameters =>
        Criteria.Select(c => new KeyValuePair<string, string>(c.Name, c.RawValue))
            .Concat(Includes.Select(i => new KeyValuePair<string, string>("_include", i.Raw)))
            .ToList();

    public static SearchRequest Parse(string resourceType, IEnumerable<KeyValuePair<string, string>> parameters, DateTimeOffset now) =>
        SearchRequestParser.Parse(resourceType, parameters, now);
}

/// <summary>Evaluates a parameter's FHIRPath expression with the Firely SDK.</summary>
internal static class SearchExpression
{
    public static IReadOnlyList<Base> Evaluate(Resource resource, SearchParamDefinition parameter) =>
        resource.Select(parameter.Expression!, new FhirEvaluationContext()).OfType<Base>().ToList();
}
