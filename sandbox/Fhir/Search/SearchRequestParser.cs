using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace DemoHealthPlan.Sandbox.Fhir.Search;

/// <summary>
/// Turns query (and _search form) parameters into a <see cref="SearchRequest"/>. Strict: a parameter or modifier the
/// sandbox does not serve is a 400, so that a client relying on it learns so instead of getting unfiltered results.
/// </summary>
internal static class SearchRequestParser
{
    private static readonly HashSet<string> UnsupportedResultParameters =
    [
        "_sort", "_elements", "_revinclude", "_contained", "_containedType", "_has", "_list", "_query", "_filter",
        "_security", "_tag", "_source", "_text", "_content", "_type",
    ];

    private static readonly HashSet<string> JsonFormats = ["json", "application/json", "application/fhir+json"];
    private static readonly HashSet<string> XmlFormats = ["xml", "text/xml", "application/xml", "application/fhir+xml"];

    /// <param name="now">The server's time, for the "ap" date prefix.</param>
    public static SearchRequest Parse(string resourceType, IEnumerable<KeyValuePair<string, string>> parameters, DateTimeOffset now)
    {
        var criteria = new List<SearchCriterion>();
        var includes = new List<IncludeRequest>();
        var count = SearchRequest.DefaultCount;
        var offset = 0;
        var summaryCount = false;

        foreach (var (name, value) in parameters)
        {
            // An empty value carries no constraint; FHIR servers ignore such parameters.
            if (string.IsNullOrEmpty(value)) continue;
            switch (name)
            {
                case "_count":
                    count = Math.Min(WholeNumber(name, value), SearchRequest.MaxCount);
                    break;
                case SearchRequest.OffsetParameter:
                    offset = WholeNumber(name, value);
                    break;
                case "_include":
                    includes.AddRange(value.Split(',').Select(v => Include(resourceType, v)));
                    break;
                case "_format":
                    CheckFormat(value);
                    break;
                case "_total" when value is "none" or "estimate" or "accurate":
                    break; // totals are always exact here
                case "_summary" when value == "count":
                    summaryCount = true; // same answer as _count=0, which is how its links write it
                    break;
                case "_summary" when value == "false":
                    break;
                case "_summary":
                    throw FhirProblem.NotSupported($"_summary={value} is not supported; the sandbox supports _summary=count and _summary=false.");
                default:
                    if (name.StartsWith("_include:", StringComparison.Ordinal))
                        throw FhirProblem.NotSupported($"'{name}' is not supported; use _include without :iterate.");
                    if (UnsupportedResultParameters.Contains(name.Split(':')[0]))
                        throw FhirProblem.NotSupported($"The search parameter '{name}' is not supported by this server.");
                    criteria.Add(Criterion(resourceType, name, value, now));
                    break;
            }
        }
        if (summaryCount) count = 0;
        return new SearchRequest(resourceType, criteria, includes, count, offset, CountOnly: count == 0);
    }

    private static SearchCriterion Criterion(string resourceType, string name, string value, DateTimeOffset now)
    {
        var colon = name.IndexOf(':');
        var code = colon < 0 ? name : name[..colon];
        var modifier = colon < 0 ? null : name[(colon + 1)..];
        if (code.Contains('.'))
            throw FhirProblem.NotSupported($"Chained search '{name}' is not supported by this server.");
        var parameter = SearchParameterCatalog.Find(resourceType, code)
            ?? throw FhirProblem.Invalid(
                $"Unknown search parameter '{code}' for {resourceType}. Supported: {string.Join(", ", SearchParameterCatalog.For(resourceType).Select(p => p.Name))}.");

        if (modifier == "missing")
        {
            return value switch
            {
                "true" or "false" => new SearchCriterion { Parameter = parameter, Modifier = modifier, Missing = value == "true", Name = name, RawValue = value },
                _ => throw FhirProblem.Invalid($"'{name}' takes true or false, not '{value}'."),
            };
        }

        var rawValues = SearchSyntax.Split(value, ',');
        IReadOnlyList<SearchValue> values = parameter.Type switch
        {
            SearchParamType.Token => rawValues.Select(v => TokenValue.Parse(v, TokenMode(name, modifier))).ToList(),
            SearchParamType.Reference => ReferenceValues(parameter, name, modifier, rawValues),
            SearchParamType.String => rawValues.Select(v => (SearchValue)new StringValue(SearchSyntax.Unescape(v), StringMode(name, modifier))).ToList(),
            SearchParamType.Date => NoModifier(name, modifier, () => rawValues.Select(v => (SearchValue)DateValue.Parse(v, now)).ToList()),
            SearchParamType.Uri => rawValues.Select(v => (SearchValue)new UriValue(SearchSyntax.Unescape(v), UriMode(name, modifier))).ToList(),
            _ => throw FhirProblem.NotSupported($"Search parameter '{code}' has type {parameter.Type}, which the sandbox does not evaluate."),
        };
        return new SearchCriterion
        {
            Parameter = parameter,
            Modifier = modifier,
            Values = values,
            Negated = parameter.Type == SearchParamType.Token && modifier == "not",
            Name = name,
            RawValue = value,
        };
    }

    private static TokenMatchMode TokenMode(string name, string? modifier) => modifier switch
    {
        null or "not" => TokenMatchMode.Code,
        "text" => TokenMatchMode.Text,
        "of-type" => TokenMatchMode.OfType,
        _ => throw UnsupportedModifier(name, "token", ":not, :text, :of-type, :missing"),
    };

    private static StringMatchMode StringMode(string name, string? modifier) => modifier switch
    {
        null => StringMatchMode.StartsWith,
        "exact" => StringMatchMode.Exact,
        "contains" => StringMatchMode.Contains,
        _ => throw UnsupportedModifier(name, "string", ":exact, :contains, :missing"),
    };

    private static UriMatchMode UriMode(string name, string? modifier) => modifier switch
    {
        null => UriMatchMode.Exact,
        "below" => UriMatchMode.Below,
        "above" => UriMatchMode.Above,
        _ => throw UnsupportedModifier(name, "uri", ":below, :above, :missing"),
    };

    private static List<SearchValue> ReferenceValues(SearchParamDefinition parameter, string name, string? modifier, List<string> rawValues)
    {
        var targets = Targets(parameter);
        string? typeModifier = null;
        var byIdentifier = false;
        if (modifier == "identifier") byIdentifier = true;
        else if (modifier is not null)
        {
            if (!targets.Contains(modifier))
                throw FhirProblem.Invalid($"'{name}': {parameter.Name} refers to {string.Join(" or ", targets)}, not {modifier}.");
            typeModifier = modifier;
        }
        return rawValues.Select(v => (SearchValue)(ReferenceValue.Parse(v, typeModifier, byIdentifier) with { AllowedTypes = targets })).ToList();
    }

    private static List<SearchValue> NoModifier(string name, string? modifier, Func<List<SearchValue>> values) =>
        modifier is null ? values() : throw UnsupportedModifier(name, "date", ":missing");

    private static FhirProblem UnsupportedModifier(string name, string type, string supported) =>
        FhirProblem.NotSupported($"The modifier in '{name}' is not supported for {type} parameters; supported: {supported}.");

    internal static IReadOnlyList<string> Targets(SearchParamDefinition parameter) =>
        (parameter.Target ?? []).Select(t => EnumUtility.GetLiteral(t)).OfType<string>().ToList();

    private static IncludeRequest Include(string resourceType, string raw)
    {
        var parts = raw.Split(':');
        if (raw == "*" || parts.Length is < 2 or > 3)
            throw FhirProblem.NotSupported($"_include={raw} is not supported; name it as {resourceType}:<reference parameter>[:<target type>].");
        if (parts[0] != resourceType)
            throw FhirProblem.Invalid($"_include={raw} does not start with the searched type {resourceType}.");
        var parameter = SearchParameterCatalog.Find(resourceType, parts[1]);
        if (parameter is not { Type: SearchParamType.Reference })
            throw FhirProblem.Invalid($"_include={raw}: '{parts[1]}' is not a reference search parameter of {resourceType}.");
        var target = parts.Length == 3 ? parts[2] : null;
        if (target is not null && !Targets(parameter).Contains(target))
            throw FhirProblem.Invalid($"_include={raw}: {parts[1]} does not refer to {target}.");
        return new IncludeRequest(parameter, target, raw);
    }

    private static int WholeNumber(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw FhirProblem.Invalid($"{name} must be a whole number of at least 0, not '{value}'.");

    internal static void CheckFormat(string value)
    {
        var format = value.Split(';')[0].Trim().ToLowerInvariant();
        if (JsonFormats.Contains(format)) return;
        if (XmlFormats.Contains(format))
            throw new FhirProblem(406, OperationOutcome.IssueType.NotSupported, "This server answers in JSON only (application/fhir+json); XML is not supported.");
        throw FhirProblem.Invalid($"_format={value} is not a FHIR format; use json.");
    }
}
