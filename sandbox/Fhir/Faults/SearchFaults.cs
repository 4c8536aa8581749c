using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir.Search;

namespace DemoHealthPlan.Sandbox.Fhir.Faults;

/// <summary>
/// The search faults: search-ignores-second-parameter applies only the criteria of the first parameter a search names
/// (every occurrence of it, so a ge/le pair still counts as one) and drops the others, a search by one parameter is
/// unchanged; include-beneficiary-missing drops _include=Coverage:beneficiary (Coverage:payor is still included).
/// </summary>
internal static class SearchFaults
{
    public const string IgnoresSecondParameter = "search-ignores-second-parameter";
    public const string IncludeBeneficiaryMissing = "include-beneficiary-missing";

    public static SearchRequest Applied(SearchRequest request, SandboxFaults faults) =>
        faults.IsOn(IgnoresSecondParameter) && request.Criteria.Count > 0
            ? request with { Criteria = request.Criteria.Where(c => c.Name == request.Criteria[0].Name).ToList() }
            : request;

    public static SearchRequest Including(SearchRequest request, SandboxFaults faults) =>
        faults.IsOn(IncludeBeneficiaryMissing)
            ? request with { Includes = request.Includes.Where(i => !(request.ResourceType == "Coverage" && i.Parameter.Name == "beneficiary")).ToList() }
            : request;
}
