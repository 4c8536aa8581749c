using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Search;

/// <summary>Applies a parsed search to the resources a caller may see.</summary>
internal static class SearchEngine
{
    /// <summary>The candidates of the searched type that meet every criterion, in candidate order.</summary>
    public static IReadOnlyList<Resource> Matches(SearchRequest request, IEnumerable<Resource> candidates) =>
        candidates.Where(r => r.TypeName == request.ResourceType && request.Criteria.All(c => c.Matches(r))).ToList();

    /// <summary>
    /// Resources the page refers to through the requested _include parameters, resolved with <paramref name="resolve"/>
    /// (which returns null for anything the caller may not see). Each appears once and never repeats a match.
    /// </summary>
    public static IReadOnlyList<Resource> Included(SearchRequest request, IReadOnlyList<Resource> page, Func<string, string, Resource?> resolve)
    {
        var seen = page.Select(Key).ToHashSet();
        var included = new List<Resource>();
        foreach (var include in request.Includes)
            foreach (var resource in page)
                foreach (var element in SearchExpression.Evaluate(resource, include.Parameter))
                {
                    if (element is not ResourceReference { Reference: { } reference }) continue;
                    var (type, id) = ReferenceValue.Split(reference);
                    if (type is null || id is null) continue;
                    if (include.TargetType is not null && type != include.TargetType) continue;
                    if (resolve(type, id) is not { } target || !seen.Add(Key(target))) continue;
                    included.Add(target);
                }
        return included;
    }

    private static string Key(Resource r) => $"{r.TypeName}/{r.Id}";
}
