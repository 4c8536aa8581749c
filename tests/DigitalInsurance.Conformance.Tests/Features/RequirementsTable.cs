using System.Text;
using DigitalInsurance.Conformance.Support.Rules;

namespace DigitalInsurance.Conformance.Tests.Features;

/// <summary>
/// Writes the two requirement tables of features/README.md from the catalogue (<see cref="Requirements"/>) and the
/// scenarios' <c>@req</c> tags: the requirements scenarios verify, and the rules checked on every request.
/// </summary>
public static class RequirementsTable
{
    public const string Start = "<!-- requirements-table: generated from support/rules/Requirements.cs by RequirementsTableTests; do not edit by hand -->";
    public const string End = "<!-- end of requirements-table -->";
    public const string CrossCuttingHeading = "## Rules any scenario can break";

    public const string RegenerateVariable = "DIC_REGENERATE_REQUIREMENTS_TABLE";
    public const string RegenerateCommand =
        RegenerateVariable + "=1 dotnet test tests/DigitalInsurance.Conformance.Tests --filter FullyQualifiedName~RequirementsTableTests";

    /// <summary>The text between <see cref="Start"/> and <see cref="End"/>, given each requirement's scenarios in feature order.</summary>
    public static string Generate(IReadOnlyDictionary<string, List<string>> scenariosByRequirement)
    {
        var text = new StringBuilder();
        text.AppendLine("| Requirement | Level | Source | Source text it verifies | Default policy | Scenarios |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var rule in Requirements.All.Where(r => r.CheckedOnEveryRequest is null))
            text.AppendLine(Row(rule, string.Join("; ", scenariosByRequirement.GetValueOrDefault(rule.Id) ?? [])));

        text.AppendLine();
        text.AppendLine(CrossCuttingHeading);
        text.AppendLine();
        text.AppendLine("Rules checked on every request rather than by scenarios of their own: no scenario is tagged with them, and any");
        text.AppendLine("scenario that sends such a request fails naming them.");
        text.AppendLine();
        text.AppendLine("| Requirement | Level | Source | Source text it verifies | Default policy | Where it is checked |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var rule in Requirements.All.Where(r => r.CheckedOnEveryRequest is not null))
            text.AppendLine(Row(rule, rule.CheckedOnEveryRequest!));
        return text.ToString();
    }

    /// <summary>features/README.md with its generated part replaced.</summary>
    public static string Replace(string readme, string generated)
    {
        var start = readme.IndexOf(Start, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start)
            throw new InvalidOperationException($"features/README.md must hold the lines \"{Start}\" and, after it, \"{End}\".");
        var from = start + Start.Length;
        return readme[..from] + "\n" + generated + readme[end..];
    }

    private static string Row(Requirement rule, string lastCell) =>
        $"| `{rule.Id}` | {rule.Level.ToString().ToUpperInvariant()} | {Source(rule.Source)} | {Cell(rule.Text)} | {RequirementPolicy.Name(rule.DefaultPolicy)} | {Cell(lastCell)} |";

    private static string Source(RequirementSource source) =>
        source.Url is null ? Cell(source.Citation) : $"[{Cell(source.Citation)}]({source.Url})";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
