using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Search;

/// <summary>
/// The search parameters the sandbox serves: R4's own definitions (with their FHIRPath expressions) for the served
/// resource types, the resource-level _id/_lastUpdated/_profile, and Coverage "period", which the C4DIC
/// CapabilityStatement requires but R4 does not define. Every one is evaluated from its expression; none is hand-coded.
/// </summary>
internal static class SearchParameterCatalog
{
    public const string CoveragePeriodUrl = "https://demo-health-plan.example/fhir/SearchParameter/Coverage-period";

    private static readonly SearchParamType[] EvaluatedTypes =
        [SearchParamType.Token, SearchParamType.Reference, SearchParamType.String, SearchParamType.Date, SearchParamType.Uri];

    // Phonetic matching is left to real servers; _text needs a narrative index the sandbox does not keep.
    private static readonly HashSet<string> Skipped = ["phonetic", "_text", "_content"];

    private static readonly Dictionary<string, IReadOnlyList<SearchParamDefinition>> ByType =
        new[] { "Patient", "Coverage", "Organization", "RelatedPerson" }.ToDictionary(t => t, Build);

    public static IReadOnlyCollection<string> ResourceTypes => ByType.Keys;

    public static IReadOnlyList<SearchParamDefinition> For(string resourceType) =>
        ByType.TryGetValue(resourceType, out var list) ? list : [];

    public static SearchParamDefinition? Find(string resourceType, string name) =>
        For(resourceType).FirstOrDefault(p => p.Name == name);

    private static IReadOnlyList<SearchParamDefinition> Build(string resourceType)
    {
        var list = new List<SearchParamDefinition>
        {
            Common(resourceType, "_id", SearchParamType.Token, "Resource.id", "http://hl7.org/fhir/SearchParameter/Resource-id"),
            Common(resourceType, "_lastUpdated", SearchParamType.Date, "Resource.meta.lastUpdated", "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated"),
            Common(resourceType, "_profile", SearchParamType.Uri, "Resource.meta.profile", "http://hl7.org/fhir/SearchParameter/Resource-profile"),
        };
        list.AddRange(ModelInfo.SearchParameters.Where(p =>
            p.Resource == resourceType
            && !string.IsNullOrWhiteSpace(p.Expression)
            && EvaluatedTypes.Contains(p.Type)
            && !Skipped.Contains(p.Name!)));
        if (resourceType == "Coverage")
            list.Add(Common(resourceType, "period", SearchParamType.Date, "Coverage.period", CoveragePeriodUrl));
        return list;
    }

    private static SearchParamDefinition Common(string resourceType, string name, SearchParamType type, string expression, string url) =>
        new() { Resource = resourceType, Name = name, Code = name, Type = type, Expression = expression, Url = url };
}
