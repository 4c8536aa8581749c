using System.Text;

namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>
/// The verdict on one resource: every issue the validator found against the profiles checked. Errors fail the
/// resource; warnings and information are reported only.
/// </summary>
/// <param name="ResourceType">The resource's type, or "(unreadable)" when the JSON could not be read as a resource.</param>
/// <param name="ProfilesChecked">Canonical URLs: the manifest's profiles for the type plus those the resource declares in meta.profile that are available.</param>
/// <param name="Elapsed">Time spent parsing and validating (for reporting only).</param>
public sealed record ValidationReport(
    string ResourceType,
    string? Id,
    IReadOnlyList<string> ProfilesChecked,
    IReadOnlyList<ValidationIssue> Issues,
    TimeSpan Elapsed)
{
    public int ErrorCount => Issues.Count(i => i.Severity == IssueSeverity.Error);
    public int WarningCount => Issues.Count(i => i.Severity == IssueSeverity.Warning);
    public bool HasErrors => ErrorCount > 0;

    /// <summary>
    /// Errors that count for a requirement other than those of <paramref name="separatelyJudged"/>: every error except
    /// those made only against separately judged profiles (US Core Patient, which C4DIC does not require).
    /// </summary>
    public IReadOnlyList<ValidationIssue> ErrorsOutside(IReadOnlyCollection<string> separatelyJudged) =>
        Issues.Where(i => i.Severity == IssueSeverity.Error
                          && (i.Profiles.Count == 0 || i.Profiles.Any(p => !separatelyJudged.Contains(IssuePolicy.WithoutVersion(p)))))
            .ToList();

    /// <summary>Errors made against one of <paramref name="profiles"/> (a US Core requirement's own verdict).</summary>
    public IReadOnlyList<ValidationIssue> ErrorsAgainst(IReadOnlyCollection<string> profiles) =>
        Issues.Where(i => i.Severity == IssueSeverity.Error && i.Profiles.Any(p => profiles.Contains(IssuePolicy.WithoutVersion(p)))).ToList();

    public string ResourceLabel => Id is null ? ResourceType : $"{ResourceType}/{Id}";

    public string Summary =>
        $"{ResourceLabel}: {Count(ErrorCount, "error")}, {Count(WarningCount, "warning")} " +
        $"against {(ProfilesChecked.Count == 0 ? "the base FHIR definition" : string.Join(", ", ProfilesChecked.Select(HtmlText.ShortProfileName)))}";

    /// <summary>One line per issue, errors first.</summary>
    public string ToText() =>
        Issues.Count == 0 ? $"{ResourceLabel}: no issues" : string.Join(Environment.NewLine, Ordered().Select(i => i.ToString()));

    /// <summary>An HTML table (severity, element, message, profile) with every value HTML-escaped; for report attachments.</summary>
    public string ToHtmlTable()
    {
        var html = new StringBuilder();
        html.Append("<table class=\"fhir-validation\" style=\"border-collapse:collapse;font-family:sans-serif;font-size:13px\">");
        html.Append("<caption style=\"text-align:left;font-weight:bold;padding:4px\">").Append(HtmlText.Encode(Summary)).Append("</caption>");
        html.Append("<thead><tr>");
        foreach (var heading in new[] { "Severity", "Element", "Message", "Profile" })
            html.Append("<th style=\"text-align:left;border-bottom:1px solid #999;padding:4px\">").Append(heading).Append("</th>");
        html.Append("</tr></thead><tbody>");
        if (Issues.Count == 0)
            html.Append("<tr><td colspan=\"4\" style=\"padding:4px\">No issues</td></tr>");
        foreach (var issue in Ordered())
        {
            var colour = issue.Severity switch { IssueSeverity.Error => "#b00020", IssueSeverity.Warning => "#a15c00", _ => "#555" };
            html.Append("<tr>")
                .Append($"<td style=\"padding:4px;color:{colour};font-weight:bold\">").Append(HtmlText.Encode(issue.Severity.ToString().ToLowerInvariant())).Append("</td>")
                .Append("<td style=\"padding:4px;font-family:monospace\">").Append(HtmlText.Encode(issue.Path)).Append("</td>")
                .Append("<td style=\"padding:4px\">").Append(HtmlText.Encode(issue.Message)).Append("</td>")
                .Append("<td style=\"padding:4px\">").Append(HtmlText.ProfileCell(issue.Profile)).Append("</td>")
                .Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    public override string ToString() => Summary;

    private IEnumerable<ValidationIssue> Ordered() => Issues.OrderBy(i => i.Severity);

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
