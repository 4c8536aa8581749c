using DigitalInsurance.Conformance.Support.Rules;

namespace DigitalInsurance.Conformance.Support.Reporting;

/// <summary>
/// The Allure link from each <c>@req:&lt;id&gt;</c> tag of a scenario to the section of the specification that states the
/// rule, taken from the requirement catalogue (<see cref="Requirements"/>), so a reader goes from a failure to its source.
/// </summary>
internal static class RequirementLinks
{
    private const string RequirementTag = "req:";

    /// <summary>One link per requirement the scenario's tag labels name and the catalogue has a URL for (harness rules have none).</summary>
    public static IEnumerable<AllureLink> For(IEnumerable<AllureLabel> labels) =>
        labels.Where(l => l.Name == "tag" && l.Value.StartsWith(RequirementTag, StringComparison.Ordinal))
            .Select(l => Requirements.Find(l.Value[RequirementTag.Length..]))
            .OfType<Requirement>()
            .Where(r => r.Source.Url is not null)
            .DistinctBy(r => r.Id)
            .Select(r => new AllureLink(r.Source.Url!, $"{r.Id}: {r.Source.Citation}", "link"));
}
