using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir.Search;

namespace DemoHealthPlan.Sandbox.Fhir.Faults;

/// <summary>
/// The search faults: search-ignores-second-parameter applies only the criteria of the first parameter a search names
/// (every occurrence of it, so a ge/le pair still counts as one) and drops the others, a search by one parameter is
/// unchanged; include-beneficiary-missing drops _include=Coverage:beneficiary (Coverage:payor is still included);
/// invalid-search-value-accepted answers a known parameter with a value it cannot read as matching nothing (an empty
/// searchset) instead of 400 (an unknown parameter is still refused); strict-handling-ignored drops the parameters it
/// does not know, as lenient handling would, even when the client asks for strict handling.
/// </summary>
internal static class SearchFaults
{
    public const string IgnoresSecondParameter = "search-ignores-second-parameter";
    public const string IncludeBeneficiaryMissing = "include-beneficiary-missing";
    public const string InvalidValueAccepted = "invalid-search-value-accepted";
    public const string StrictHandlingIgnored = "strict-handling-ignored";

    public static SearchRequest Applied(SearchRequest request, SandboxFaults faults) =>
        faults.IsOn(IgnoresSecondParameter) && request.Criteria.Count > 0
            ? request with { Criteria = request.Criteria.Where(c => c.Name == request.Criteria[0].Name).ToList() }
            : request;

    public static SearchRequest Including(SearchRequest request, SandboxFaults faults) =>
        faults.IsOn(IncludeBeneficiaryMissing)
            ? request with { Includes = request.Includes.Where(i => !(request.ResourceType == "Coverage" && i.Parameter.Name == "beneficiary")).ToList() }
            : request;

    /// <summary>With invalid-search-value-accepted on, the parameters of known names whose values do not parse; else none.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> UnreadableValues(
        string resourceType, IReadOnlyList<KeyValuePair<string, string>> parameters, DateTimeOffset now, SandboxFaults faults)
    {
        if (!faults.IsOn(InvalidValueAccepted)) return [];
        return parameters.Where(p => SearchParameterCatalog.Find(resourceType, p.Key.Split(':')[0]) is not null && !Parses(resourceType, p, now)).ToList();
    }

    private static bool Parses(string resourceType, KeyValuePair<string, string> parameter, DateTimeOffset now)
    {
        try
        {
            SearchRequest.Parse(resourceType, [parameter], now);
            return true;
        }
        catch (FhirProblem)
        {
            return false;
        }
    }

    /// <summary>With strict-handling-ignored on, the parameters of names the server does not know (result parameters such as _count are known); else none.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> UnknownParameters(
        string resourceType, IReadOnlyList<KeyValuePair<string, string>> parameters, SandboxFaults faults) =>
        faults.IsOn(StrictHandlingIgnored)
            ? parameters.Where(p => !p.Key.StartsWith('_') && SearchParameterCatalog.Find(resourceType, p.Key.Split(':')[0]) is null).ToList()
            : [];
}
