using DigitalInsurance.Conformance.Support.Validation;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

public class ValidationReportTests
{
    private static readonly ValidationReport Report = new(
        "Coverage",
        "c<1>",
        ["http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Coverage"],
        [
            new ValidationIssue(IssueSeverity.Warning, "Coverage.extension[0].value[0]", "Cannot find valueset 'x' & \"y\"", null, "6006"),
            new ValidationIssue(IssueSeverity.Error, "Coverage.identifier[0]", "<script>alert('x')</script> must not run",
                "http://example.org/StructureDefinition/a<b>, http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Coverage", "1028"),
        ],
        TimeSpan.FromMilliseconds(12));

    [Test]
    public void Counts_errors_and_warnings()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Report.ErrorCount, Is.EqualTo(1));
            Assert.That(Report.WarningCount, Is.EqualTo(1));
            Assert.That(Report.HasErrors, Is.True);
            Assert.That(Report.Summary, Is.EqualTo("Coverage/c<1>: 1 error, 1 warning against C4DIC-Coverage"));
        });
    }

    [Test]
    public void Html_table_escapes_every_value()
    {
        var html = Report.ToHtmlTable();

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Not.Contain("<script>"));
            Assert.That(html, Does.Contain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; must not run"));
            Assert.That(html, Does.Contain("Cannot find valueset &#39;x&#39; &amp; &quot;y&quot;"));
            Assert.That(html, Does.Contain("c&lt;1&gt;"));
            Assert.That(html, Does.Contain("title=\"http://example.org/StructureDefinition/a&lt;b&gt;\">a&lt;b&gt;</span>"));
            Assert.That(html, Does.Not.Contain("a<b>"));
        });
    }

    [Test]
    public void Html_table_has_one_row_per_issue_with_severity_element_message_and_profile_columns()
    {
        var html = Report.ToHtmlTable();

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.StartWith("<table").And.EndWith("</table>"));
            Assert.That(html, Does.Contain("<th style=\"text-align:left;border-bottom:1px solid #999;padding:4px\">Severity</th>"));
            Assert.That(html.Split("<tr>").Length - 1, Is.EqualTo(3), "header and two issues");
            Assert.That(html.IndexOf(">error<", StringComparison.Ordinal), Is.LessThan(html.IndexOf(">warning<", StringComparison.Ordinal)), "errors first");
        });
    }

    [Test]
    public void Text_has_one_line_per_issue_errors_first()
    {
        var lines = Report.ToText().Split(Environment.NewLine);

        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(2));
            Assert.That(lines[0], Does.StartWith("error Coverage.identifier[0]: <script>"));
            Assert.That(lines[1], Does.StartWith("warning Coverage.extension[0].value[0]: Cannot find valueset"));
        });
    }

    [Test]
    public void A_report_without_issues_says_so()
    {
        var clean = Report with { Issues = [] };

        Assert.Multiple(() =>
        {
            Assert.That(clean.ToText(), Is.EqualTo("Coverage/c<1>: no issues"));
            Assert.That(clean.ToHtmlTable(), Does.Contain("No issues"));
            Assert.That(clean.HasErrors, Is.False);
        });
    }
}
