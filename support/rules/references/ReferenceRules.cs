using DigitalInsurance.Conformance.Support.Validation;
using System.Text;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.Reporting;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// The verdict on references followed with the member's token: each must resolve, to a resource of a type the element
/// allows, that meets the element's target profiles. Fails <see cref="Rule"/> naming every reference that does not.
/// </summary>
/// <remarks>
/// FHIR R4 ElementDefinition.type.targetProfile: "If any profiles are specified, then the content must conform to at
/// least one of them." The target is validated like any resource of its type the server returns: against the manifest's
/// profiles for the type (C4DIC, and US Core where the manifest adds it) and those it declares. A target profile that is
/// a base resource definition (C4DIC 1.0.0 subscriber: Reference(Patient | RelatedPerson)) asks for the type only.
/// </remarks>
public sealed class ReferenceRules(Check check)
{
    public static readonly Requirement Rule = Requirements.C4dicReferenceResolution;

    public void RequireResolvedAndConformant(
        ConformanceValidator validator, ScenarioEvidence evidence, string elementPath, IReadOnlyList<ResolvedReference> references)
    {
        check.That(references.Count > 0, Rule, $"There must be at least one {elementPath} to follow.", "no resource with that element was returned");

        var sourceType = elementPath.Split('.')[0];
        var targets = validator.ProfilesFor(sourceType)
            .SelectMany(profile => validator.ReferenceTargets(profile, elementPath))
            .DistinctBy(t => t.Profile)
            .ToList();
        var reports = new Dictionary<string, ValidationReport>(StringComparer.Ordinal);
        var rows = new List<(ResolvedReference Reference, string? Finding)>();

        foreach (var reference in references)
        {
            var finding = Judge(reference, targets, validator, reports, evidence);
            rows.Add((reference, finding));
        }

        evidence.AddText($"References followed: {elementPath}", "text/html", "html", ToHtmlTable(elementPath, targets, rows));
        var findings = rows.Where(r => r.Finding is not null).Select(r => r.Finding!).ToList();
        check.That(findings.Count == 0, Rule,
            $"Every {elementPath} must resolve with the member's token to {WithArticle(AllowedTypes(targets))}" +
            (targets.Any(t => !t.IsBaseDefinition) ? $" that meets {string.Join(" or ", targets.Where(t => !t.IsBaseDefinition).Select(t => HtmlText.ShortProfileName(t.Profile)))}." : "."),
            string.Join("; ", findings));
    }

    private string? Judge(ResolvedReference reference, IReadOnlyList<ReferenceTarget> targets, ConformanceValidator validator,
        Dictionary<string, ValidationReport> reports, ScenarioEvidence evidence)
    {
        if (reference.Target is not { } target)
            return $"{reference.Name} is unresolved: {reference.Problem}";

        var ofType = targets.Where(t => t.ResourceType == target.TypeName).ToList();
        if (targets.Count > 0 && ofType.Count == 0)
            return $"{reference.Name} resolves to {WithArticle(target.TypeName)}, but {reference.Element} allows only {AllowedTypes(targets)}";

        var key = reference.Form == ReferenceForm.Contained ? $"{reference.Source}{reference.Reference}" : target.Reference;
        if (!reports.TryGetValue(key, out var report))
        {
            report = target.Json.Length > 0 ? validator.Validate(target.Json) : validator.Validate(target.Resource);
            reports[key] = report;
            evidence.AddText($"Validation of {reference.Element} target {report.ResourceLabel}: {report.Summary}", "text/html", "html", report.ToHtmlTable());
        }

        var specific = ofType.Where(t => !t.IsBaseDefinition).ToList();
        if (specific.Count > 0 && !specific.Any(t => report.ProfilesChecked.Any(p => IssuePolicy.WithoutVersion(p) == IssuePolicy.WithoutVersion(t.Profile))))
            throw new ValidationSetupException(
                $"{reference.Element} requires its target to meet {string.Join(" or ", specific.Select(t => t.Profile))}, which the manifest " +
                $"{validator.Manifest.SourceFile} does not list for {target.TypeName}: add it there so the harness checks it.");

        // US Core-only findings (e.g. US Core Patient on a data-minimized C4DIC Patient) are judged by their own requirement.
        var errors = report.ErrorsOutside(validator.SeparatelyJudgedProfiles);
        if (errors.Count == 0) return null;
        return $"{reference.Name} → {report.ResourceLabel} does not meet its profiles ({errors.Count} error{(errors.Count == 1 ? "" : "s")}: " +
               string.Join(" | ", errors.Take(3).Select(e => $"{e.Path}: {e.Message}")) + (errors.Count > 3 ? " | …" : "") + ")";
    }

    private string AllowedTypes(IReadOnlyList<ReferenceTarget> targets) =>
        targets.Count == 0 ? "resource" : string.Join(" or ", targets.Select(t => t.ResourceType).Distinct());

    private string WithArticle(string noun) => ("AEIOU".Contains(noun[0]) ? "an " : "a ") + noun;

    private string ToHtmlTable(string elementPath, IReadOnlyList<ReferenceTarget> targets, IReadOnlyList<(ResolvedReference Reference, string? Finding)> rows)
    {
        var html = new StringBuilder();
        html.Append("<table class=\"fhir-references\" style=\"border-collapse:collapse;font-family:sans-serif;font-size:13px\">");
        html.Append("<caption style=\"text-align:left;font-weight:bold;padding:4px\">")
            .Append(HtmlText.Encode($"{elementPath}: {rows.Count(r => r.Finding is null)} of {rows.Count} references resolve and meet " +
                                    (targets.Count == 0 ? "the base definition" : string.Join(" | ", targets.Select(t => HtmlText.ShortProfileName(t.Profile))))))
            .Append("</caption><thead><tr>");
        foreach (var heading in new[] { "Source", "Reference", "Form", "Resolved to", "Verdict" })
            html.Append("<th style=\"text-align:left;border-bottom:1px solid #999;padding:4px\">").Append(heading).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var (reference, finding) in rows)
        {
            html.Append("<tr>")
                .Append("<td style=\"padding:4px;font-family:monospace\">").Append(HtmlText.Encode(reference.Source)).Append("</td>")
                .Append("<td style=\"padding:4px;font-family:monospace\">").Append(HtmlText.Encode(reference.Reference ?? "(none)")).Append("</td>")
                .Append("<td style=\"padding:4px\">").Append(HtmlText.Encode(reference.Form.ToString().ToLowerInvariant())).Append("</td>")
                .Append("<td style=\"padding:4px;font-family:monospace\">").Append(HtmlText.Encode(reference.Target?.Reference ?? "—")).Append("</td>")
                .Append($"<td style=\"padding:4px;color:{(finding is null ? "#1b5e20" : "#b00020")}\">").Append(HtmlText.Encode(finding ?? "ok")).Append("</td>")
                .Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }
}
