using DigitalInsurance.Conformance.Support.Session;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.Validation;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// Validates what the server returned against the IG profiles, attaches each verdict as evidence, and fails on errors.
/// Warnings and information are shown, never failed.
/// </summary>
public sealed class ProfileRules(Check check)
{
    /// <summary>
    /// The C4DIC verdict: no error against the C4DIC profiles (or the base definition). Errors made only against US Core
    /// profiles C4DIC does not require (US Core Patient) are left to <see cref="RequireUsCoreValidAsync"/> and noted.
    /// </summary>
    public async Task RequireValidAsync(ConformanceScenario scenario, IReadOnlyList<ReceivedResource> resources, Requirement rule)
    {
        var validator = await scenario.ValidatorAsync();
        var separately = validator.SeparatelyJudgedProfiles;
        Judge(scenario, validator, resources, rule, report => report.ErrorsOutside(separately),
            resources.Select(r => r.TypeName).Distinct().SelectMany(validator.ProfilesFor).Distinct().ToList(),
            report => report.ErrorCount - report.ErrorsOutside(separately).Count is > 0 and var left
                ? $"{report.ResourceLabel}: {left} error(s) only against US Core profiles C4DIC does not require, judged by [{Requirements.UsCorePatientProfile.Id}], not here."
                : null);
    }

    /// <summary>The US Core verdict: no error against the manifest's separately judged US Core profiles of the type.</summary>
    public async Task RequireUsCoreValidAsync(ConformanceScenario scenario, IReadOnlyList<ReceivedResource> resources, Requirement rule)
    {
        var validator = await scenario.ValidatorAsync();
        var profiles = resources.Select(r => r.TypeName).Distinct().SelectMany(validator.Manifest.UsCoreProfilesFor).Distinct().ToList();
        if (profiles.Count == 0)
            throw new ValidationSetupException($"The manifest {validator.Manifest.SourceFile} lists no US Core profile (usCoreProfiles) for {string.Join(", ", resources.Select(r => r.TypeName).Distinct())}.");
        var unversioned = profiles.Select(IssuePolicy.WithoutVersion).ToHashSet(StringComparer.Ordinal);
        Judge(scenario, validator, resources, rule, report => report.ErrorsAgainst(unversioned), profiles, _ => null);
    }

    private void Judge(ConformanceScenario scenario, ConformanceValidator validator, IReadOnlyList<ReceivedResource> resources, Requirement rule,
        Func<ValidationReport, IReadOnlyList<ValidationIssue>> counted, IReadOnlyList<string> profiles, Func<ValidationReport, string?> note)
    {
        check.That(resources.Count > 0, rule, "There must be at least one resource to validate.", "none was returned");
        var failures = new List<string>();
        foreach (var resource in resources.DistinctBy(r => r.Reference))
        {
            var report = validator.Validate(resource.Json);
            scenario.Evidence.AddText($"Validation of {report.ResourceLabel}: {report.Summary}", "text/html", "html", report.ToHtmlTable());
            if (note(report) is { } text) scenario.Evidence.AddText($"Not judged here: {report.ResourceLabel}", "text/plain", "txt", text);
            var errors = counted(report);
            if (errors.Count > 0) failures.Add(string.Join(Environment.NewLine, errors.Select(e => $"{report.ResourceLabel}: {e}")));
        }
        check.That(failures.Count == 0, rule,
            $"Every resource must meet {string.Join(", ", profiles.Select(p => $"{ValidationIssue.IgOf(p)} {HtmlText.ShortProfileName(p)}"))} with no errors.",
            string.Join(Environment.NewLine, failures));
    }
}
