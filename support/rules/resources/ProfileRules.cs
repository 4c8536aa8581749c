using DigitalInsurance.Conformance.Support.Session;
using DigitalInsurance.Conformance.Support.Fhir;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// Validates what the server returned against the IG profiles, attaches each verdict as evidence, and fails on errors.
/// Warnings and information are shown, never failed.
/// </summary>
public sealed class ProfileRules(Check check)
{
    public async Task RequireValidAsync(ConformanceScenario scenario, IReadOnlyList<ReceivedResource> resources, Requirement rule)
    {
        check.That(resources.Count > 0, rule, "There must be at least one resource to validate.", "none was returned");
        var validator = await scenario.ValidatorAsync();
        var failures = new List<string>();
        foreach (var resource in resources.DistinctBy(r => r.Reference))
        {
            var report = validator.Validate(resource.Json);
            scenario.Evidence.AddText($"Validation of {report.ResourceLabel}: {report.Summary}", "text/html", "html", report.ToHtmlTable());
            if (report.HasErrors) failures.Add(report.ToText());
        }
        check.That(failures.Count == 0, rule,
            $"Every resource must meet its profiles ({string.Join(", ", resources.Select(r => r.TypeName).Distinct().SelectMany(validator.ProfilesFor).Distinct())}) with no errors.",
            string.Join(Environment.NewLine, failures));
    }
}
