using System.Text;
using Reqnroll;

namespace DigitalInsurance.Conformance.Support.Reporting;

/// <summary>A step as it ran: keyword as written ("And "), text, and its table or doc string.</summary>
internal sealed record StepText(string Keyword, string Text, Table? Table, string? DocString)
{
    public string Name => $"{Keyword.Trim()} {Text}";
}

/// <summary>The scenario's Gherkin, rebuilt from what Reqnroll ran, as the result's description (Markdown).</summary>
internal static class GherkinText
{
    public static string Describe(FeatureInfo feature, RuleInfo? rule, ScenarioInfo scenario,
        IReadOnlyList<KeyValuePair<string, string>> exampleValues, IReadOnlyList<StepText> steps)
    {
        var text = new StringBuilder();
        text.Append("Feature: ").Append(feature.Title).Append('\n');
        var indent = "  ";
        if (rule?.Title is { Length: > 0 })
        {
            text.Append('\n').Append(indent).Append("Rule: ").Append(rule.Title).Append('\n');
            indent += "  ";
        }
        var tags = scenario.Tags ?? [];
        text.Append('\n');
        if (tags.Length > 0) text.Append(indent).Append(string.Join(' ', tags.Select(t => "@" + t.TrimStart('@')))).Append('\n');
        text.Append(indent).Append(exampleValues.Count > 0 ? "Scenario Outline: " : "Scenario: ").Append(scenario.Title).Append('\n');
        var stepIndent = indent + "  ";
        if (!string.IsNullOrWhiteSpace(scenario.Description))
            foreach (var line in scenario.Description.Trim().Split('\n'))
                text.Append(stepIndent).Append(line.Trim()).Append('\n');
        foreach (var step in steps)
        {
            text.Append(stepIndent).Append(step.Name).Append('\n');
            if (step.Table is not null) text.Append(Table(step.Table, stepIndent + "  "));
            if (step.DocString is not null) text.Append(DocString(step.DocString, stepIndent + "  "));
        }
        if (exampleValues.Count > 0)
            text.Append('\n').Append(stepIndent).Append("# Example: ")
                .Append(string.Join(", ", exampleValues.Select(e => $"{e.Key} = {e.Value}"))).Append('\n');
        return "```gherkin\n" + text + "```\n";
    }

    public static string Table(Table table, string indent = "")
    {
        var header = table.Header.ToList();
        var rows = table.Rows.Select(r => header.Select(h => r[h] ?? "").ToList()).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToList();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            text.Append(indent).Append("| ").Append(string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i])))).Append(" |\n");
        Line(header);
        foreach (var row in rows) Line(row);
        return text.ToString();
    }

    public static string DocString(string docString, string indent = "") =>
        indent + "\"\"\"\n" + string.Concat(docString.Split('\n').Select(l => indent + l.TrimEnd('\r') + "\n")) + indent + "\"\"\"\n";
}
