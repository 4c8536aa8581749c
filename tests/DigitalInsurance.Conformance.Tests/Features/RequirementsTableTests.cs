using System.Text.RegularExpressions;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Fhir;
using Gherkin;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Features;

/// <summary>
/// features/README.md lists every requirement a scenario verifies, with the text it verifies and exactly the scenarios
/// tagged with it, plus the rules any scenario can break (checked on every request, tagged on none); and every rule id
/// the harness's checks can name in a failure message has a row.
/// </summary>
public partial class RequirementsTableTests
{
    private const string CrossCuttingHeading = "## Rules any scenario can break";

    private static readonly string Root = FindRepositoryRoot();

    /// <summary>Literals of the rule-id shape in support/ and steps/ that are not rule ids, with where they come from.</summary>
    private static readonly IReadOnlyDictionary<string, string> NotRuleIds = new Dictionary<string, string>
    {
        ["fhir-r4-core"] = "a cache folder name (support/validation/CoreDefinitionCache.cs)",
        ["fhir-packages"] = "a cache folder name (support/validation/FhirPackageLocator.cs)",
    };

    [Test]
    public void Every_requirement_tag_has_a_row_and_every_row_has_a_scenario()
    {
        var tagged = RequirementTags();
        var (listed, crossCutting) = ListedRequirements();
        Assert.Multiple(() =>
        {
            Assert.That(tagged.Keys.Except(listed.Keys), Is.Empty, "@req tags without a row in features/README.md");
            Assert.That(listed.Keys.Except(tagged.Keys), Is.Empty, "rows in features/README.md that no scenario verifies");
            Assert.That(crossCutting.Keys.Intersect(tagged.Keys), Is.Empty,
                $"rules under \"{CrossCuttingHeading}\" that scenarios are tagged with: they belong in the main table");
            Assert.That(crossCutting.Keys.Intersect(listed.Keys), Is.Empty, "rules with two rows");
        });
    }

    [Test]
    public void Each_row_names_exactly_the_scenarios_tagged_with_it()
    {
        var tagged = RequirementTags();
        foreach (var (requirement, row) in ListedRequirements().Main)
        {
            if (!tagged.TryGetValue(requirement, out var scenarios)) continue;
            var named = NamedScenarios(row);
            var all = AllScenarioNames();
            Assert.Multiple(() =>
            {
                Assert.That(scenarios.Except(named), Is.Empty, $"scenarios tagged @req:{requirement} that its row does not name");
                Assert.That(named.Except(all), Is.Empty, $"names in the row of {requirement} that are no scenario of features/ (renamed or removed?)");
                Assert.That(named.Intersect(all).Except(scenarios), Is.Empty, $"scenarios the row of {requirement} names that are not tagged @req:{requirement}");
            });
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

    /// <summary>
    /// Every rule id support/ and steps/ can put in a failure message ("[id] …"): literals of the rule-id shape (rule
    /// arguments, rule constants, "[id]" in messages), the ids interpolated templates produce, and the searches' ids.
    /// </summary>
    [Test]
    public void Every_rule_id_the_checks_can_name_has_a_row_and_can_be_set_in_the_policy()
    {
        var (listed, crossCutting) = ListedRequirements();
        var rows = listed.Keys.Concat(crossCutting.Keys).ToHashSet();
        var used = RuleIdsInCode();
        Assert.Multiple(() =>
        {
            Assert.That(used.Keys.Except(rows).Select(id => $"{id} (in {used[id]})"), Is.Empty,
                $"rule ids the checks use without a row in features/README.md (a rule checked on every request goes under \"{CrossCuttingHeading}\")");
            foreach (var id in rows)
                Assert.DoesNotThrow(() => RequirementPolicy.Parse($"{id}=warn"), $"{id} can be named in the policy setting");
        });
    }

    private static Dictionary<string, string> RuleIdsInCode()
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string id, string where) => ids.TryAdd(id, where);

        var families = new Dictionary<string, Func<IEnumerable<string>>>(StringComparer.Ordinal)
        {
            ["c4dic-{type.ToLowerInvariant()}-profile"] = () => ResourceTypes().Select(t => $"c4dic-{t.ToLowerInvariant()}-profile"),
            ["c4dic-search-{ResourceType.ToLowerInvariant()}-{Kebab(Parameter.TrimStart('_'))}"] = () => C4dicSearches.All.Select(s => s.Rule),
        };
        foreach (var file in new[] { "support", "steps" }.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories))
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")))
        {
            var text = File.ReadAllText(file);
            var where = Path.GetRelativePath(Root, file);
            foreach (Match literal in RuleLiteral().Matches(text))
                if (!NotRuleIds.ContainsKey(literal.Groups[1].Value)) Add(literal.Groups[1].Value, where);
            foreach (Match bracketed in BracketedRule().Matches(text))
                Add(bracketed.Groups[1].Value, where);
            foreach (Match template in RuleTemplate().Matches(text))
            {
                Assert.That(families, Does.ContainKey(template.Groups[1].Value),
                    $"{where} builds rule ids from the template \"{template.Groups[1].Value}\": list the ids it can produce in {nameof(RuleIdsInCode)}.");
                foreach (var id in families[template.Groups[1].Value]()) Add(id, where);
            }
        }
        Assert.That(ids, Is.Not.Empty, "no rule id found: the scan is broken");
        return ids;
    }

    private static IEnumerable<string> ResourceTypes() => C4dicSearches.All.Select(s => s.ResourceType).Distinct();

    /// <summary>The scenario names in a row's last cell, separated by "; ".</summary>
    private static List<string> NamedScenarios(string row)
    {
        var cells = CellSeparator().Split(row.Trim().Trim('|'));
        return cells[^1].Split("; ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static HashSet<string> AllScenarioNames() => Scenarios().Select(s => s.Scenario).ToHashSet();

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

    /// <summary>The rows of the main table, and those under <see cref="CrossCuttingHeading"/>.</summary>
    private static (Dictionary<string, string> Main, Dictionary<string, string> CrossCutting) ListedRequirements()
    {
        var main = new Dictionary<string, string>();
        var crossCutting = new Dictionary<string, string>();
        var current = main;
        foreach (var line in File.ReadAllLines(Path.Combine(Root, "features", "README.md")))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal)) current = line.Trim() == CrossCuttingHeading ? crossCutting : main;
            if (RowPattern().Match(line) is { Success: true } match) current.Add(match.Groups[1].Value, line);
        }
        return (main, crossCutting);
    }

    [GeneratedRegex(@"^\|\s*`([a-z0-9-]+)`\s*\|")]
    private static partial Regex RowPattern();

    // A table cell boundary: a '|' not escaped as '\|'.
    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex CellSeparator();

    // A whole string literal of the rule-id shape: "smart-token-response".
    [GeneratedRegex(@"(?<![\w$@])""((?:smart|fhir|c4dic|us-core|harness)-[a-z0-9]+(?:-[a-z0-9]+)*)""")]
    private static partial Regex RuleLiteral();

    // "[id]" as a failure message names it: "[smart-token-patient-context] The token response …".
    [GeneratedRegex(@"\[((?:smart|fhir|c4dic|us-core|harness)-[a-z0-9]+(?:-[a-z0-9]+)*)\]")]
    private static partial Regex BracketedRule();

    // An interpolated literal that starts like a rule id: $"c4dic-{type.ToLowerInvariant()}-profile".
    [GeneratedRegex(@"\$""((?:smart|fhir|c4dic|us-core|harness)-[^""]*\{[^""]*)""")]
    private static partial Regex RuleTemplate();

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "DigitalInsurance.Conformance.csproj"))) return directory.FullName;
        throw new InvalidOperationException("The repository root (with DigitalInsurance.Conformance.csproj) was not found above " + AppContext.BaseDirectory);
    }
}
