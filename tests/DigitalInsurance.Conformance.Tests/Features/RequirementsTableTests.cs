using System.Text.RegularExpressions;
using Gherkin;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Features;

/// <summary>features/README.md lists every requirement a scenario verifies, with the text it verifies, and nothing else.</summary>
public partial class RequirementsTableTests
{
    private static readonly string Root = FindRepositoryRoot();

    [Test]
    public void Every_requirement_tag_has_a_row_and_every_row_has_a_scenario()
    {
        var tagged = RequirementTags();
        var listed = ListedRequirements();
        Assert.Multiple(() =>
        {
            Assert.That(tagged.Keys.Except(listed.Keys), Is.Empty, "@req tags without a row in features/README.md");
            Assert.That(listed.Keys.Except(tagged.Keys), Is.Empty, "rows in features/README.md that no scenario verifies");
        });
    }

    [Test]
    public void Each_row_names_the_scenarios_that_verify_it()
    {
        var tagged = RequirementTags();
        foreach (var (requirement, row) in ListedRequirements())
        {
            if (!tagged.TryGetValue(requirement, out var scenarios)) continue;
            foreach (var scenario in scenarios)
                Assert.That(row, Does.Contain(scenario), $"The row of {requirement} must name the scenario \"{scenario}\".");
        }
    }

    [Test]
    public void Every_scenario_verifies_at_least_one_requirement_and_has_an_area()
    {
        string[] areas = ["authorization", "token", "fhir", "security", "discovery", "preflight"];
        foreach (var (file, scenario, tags) in Scenarios())
        {
            Assert.That(tags.Any(t => t.StartsWith("@req:", StringComparison.Ordinal)), $"{file}: \"{scenario}\" has no @req: tag.");
            Assert.That(tags.Any(t => areas.Contains(t.TrimStart('@'))), $"{file}: \"{scenario}\" has no area tag ({string.Join(", ", areas)}).");
        }
    }

    private static Dictionary<string, List<string>> RequirementTags()
    {
        var result = new Dictionary<string, List<string>>();
        foreach (var (_, scenario, tags) in Scenarios())
            foreach (var tag in tags.Where(t => t.StartsWith("@req:", StringComparison.Ordinal)))
            {
                var id = tag["@req:".Length..];
                if (!result.TryGetValue(id, out var list)) result[id] = list = [];
                if (!list.Contains(scenario)) list.Add(scenario);
            }
        return result;
    }

    /// <summary>
    /// Scenario (or outline) titles with the tags their pickles carry: the feature's, rule's and scenario's, and for an
    /// outline one entry per Examples block with that block's tags too (an outline's rows may verify different requirements).
    /// </summary>
    private static IEnumerable<(string File, string Scenario, List<string> Tags)> Scenarios()
    {
        var parser = new Parser();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "features"), "*.feature", SearchOption.AllDirectories).Order())
        {
            var document = parser.Parse(file);
            var featureTags = document.Feature.Tags.Select(t => t.Name).ToList();
            foreach (var child in document.Feature.Children)
            {
                if (child is Gherkin.Ast.Scenario scenario)
                    foreach (var entry in WithExamples(file, scenario, featureTags)) yield return entry;
                else if (child is Gherkin.Ast.Rule rule)
                    foreach (var ruleScenario in rule.Children.OfType<Gherkin.Ast.Scenario>())
                        foreach (var entry in WithExamples(file, ruleScenario, featureTags.Concat(rule.Tags.Select(t => t.Name)).ToList())) yield return entry;
            }
        }
    }

    private static IEnumerable<(string File, string Scenario, List<string> Tags)> WithExamples(string file, Gherkin.Ast.Scenario scenario, List<string> inherited)
    {
        var tags = inherited.Concat(scenario.Tags.Select(t => t.Name)).ToList();
        var examples = scenario.Examples.ToList();
        if (examples.Count == 0)
            yield return (file, scenario.Name, tags);
        foreach (var block in examples)
            yield return (file, scenario.Name, tags.Concat(block.Tags.Select(t => t.Name)).ToList());
    }

    private static Dictionary<string, string> ListedRequirements()
    {
        var readme = File.ReadAllLines(Path.Combine(Root, "features", "README.md"));
        return readme.Select(line => (line, match: RowPattern().Match(line)))
            .Where(x => x.match.Success)
            .ToDictionary(x => x.match.Groups[1].Value, x => x.line);
    }

    [GeneratedRegex(@"^\|\s*`([a-z0-9-]+)`\s*\|")]
    private static partial Regex RowPattern();

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "DigitalInsurance.Conformance.csproj"))) return directory.FullName;
        throw new InvalidOperationException("The repository root (with DigitalInsurance.Conformance.csproj) was not found above " + AppContext.BaseDirectory);
    }
}
