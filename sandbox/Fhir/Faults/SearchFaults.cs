using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir.Search;

namespace DemoHealthPlan.Sandbox.Fhir.Faults;

/// <summary>
/// search-ignores-second-parameter: a search applies only the criteria of the first parameter it names (every
/// occurrence of it, so a ge/le pair still counts as one) and drops the others; a search by one parameter is unchanged.
/// </summary>
internal static class SearchFaults
{
    public const string IgnoresSecondParameter = "search-ignores-second-parameter";

    public static SearchRequest Applied(SearchRequest request, SandboxFaults faults) =>
        faults.IsOn(IgnoresSecondParameter) && request.Criteria.Count > 0
            ? request with { Criteria = request.Criteria.Where(c => c.Name == request.Criteria[0].Name).ToList() }
            : request;
}
