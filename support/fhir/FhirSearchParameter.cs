using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace DigitalInsurance.Conformance.Support.Fhir;

/// <summary>The kinds of FHIR search parameter the harness can judge results for.</summary>
public enum SearchParameterKind { Token, Reference, String, Date, Uri }

/// <summary>
/// A search parameter as FHIR R4 defines it: its type and the FHIRPath expression that selects the elements it searches.
/// The definitions come from the FHIR R4 specification (shipped with the Firely SDK), plus the resource-level
/// parameters every resource has and Coverage "period", which the C4DIC CapabilityStatement lists but R4 does not define.
/// </summary>
public sealed record FhirSearchParameter(string ResourceType, string Name, SearchParameterKind Kind, string Expression)
{
    public static FhirSearchParameter For(string resourceType, string name) => name switch
    {
        "_id" => new(resourceType, name, SearchParameterKind.Token, "id"),
        "_lastUpdated" => new(resourceType, name, SearchParameterKind.Date, "meta.lastUpdated"),
        "_profile" => new(resourceType, name, SearchParameterKind.Uri, "meta.profile"),
        "period" when resourceType == "Coverage" => new(resourceType, name, SearchParameterKind.Date, "Coverage.period"),
        _ => FromSpecification(resourceType, name),
    };

    /// <summary>The elements of <paramref name="resource"/> the parameter searches.</summary>
    public IReadOnlyList<Base> ElementsOf(Resource resource) =>
        resource.Select(Expression, new FhirEvaluationContext()).OfType<Base>().ToList();

    private static FhirSearchParameter FromSpecification(string resourceType, string name)
    {
        var definition = ModelInfo.SearchParameters.FirstOrDefault(p => p.Resource == resourceType && p.Name == name)
            ?? throw new ArgumentException($"FHIR R4 defines no search parameter '{name}' for {resourceType}.", nameof(name));
        var kind = definition.Type switch
        {
            SearchParamType.Token => SearchParameterKind.Token,
            SearchParamType.Reference => SearchParameterKind.Reference,
            SearchParamType.String => SearchParameterKind.String,
            SearchParamType.Date => SearchParameterKind.Date,
            SearchParamType.Uri => SearchParameterKind.Uri,
            _ => throw new ArgumentException($"{resourceType} '{name}' is a {definition.Type} parameter, which the harness does not judge.", nameof(name)),
        };
        return new FhirSearchParameter(resourceType, name, kind, definition.Expression!);
    }
}
