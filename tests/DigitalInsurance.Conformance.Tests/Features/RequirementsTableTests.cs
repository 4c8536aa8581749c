using System.Text.RegularExpressions;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Tests.Browser;
using Gherkin;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Features;

/// <summary>
/// The requirement catalogue (support/rules/Requirements.cs) against the features and the code: every entry is verified
/// by a scenario tagged with it (or checked on every request), every <c>@req</c> tag names an entry, features/README.md's
/// tables are the ones the catalogue generates, and no rule id is written as a string outside the catalogue.
/// </summary>
public partial class RequirementsTableTests
{
    private static readonly string Root = RepositoryFiles.Root;
    private static readonly string Catalogue = Path.Combine("support", "rules", "Requirements.cs");

    /// <summary>Literals of the rule-id shape in support/ and steps/ that are not rule ids, with where they come from.</summary>
    private static readonly IReadOnlyDictionary<string, string> NotRuleIds = new Dictionary<string, string>
    {
        ["fhir-r4-core"] = "a cache folder name (support/validation/CoreDefinitionCache.cs)",
        ["fhir-packages"] = "a cache folder name (support/validation/FhirPackageLocator.cs)",
    };

    [Test]
    public void Every_catalogue_entry_has_a_scenario_and_every_requirement_tag_an_entry()
    {
        var tagged = RequirementTags();
        var scenarioRules = Requirements.All.Where(r => r.CheckedOnEveryRequest is null).Select(r => r.Id).ToList();
        var everyRequest = Requirements.All.Where(r => r.CheckedOnEveryRequest is not null).Select(r => r.Id).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(tagged.Keys.Where(id => Requirements.Find(id) is null), Is.Empty, $"@req tags without an entry in {Catalogue}");
            Assert.That(scenarioRules.Except(tagged.Keys), Is.Empty,
                $"entries of {Catalogue} no scenario is tagged with (tag one, or give the entry CheckedOnEveryRequest if every request checks it)");
            Assert.That(everyRequest.Intersect(tagged.Keys), Is.Empty, "entries checked on every request that scenarios are tagged with: drop CheckedOnEveryRequest");
        });
    }

    [Test]
    public void The_catalogue_has_each_id_once_with_a_source_and_text_and_the_policy_accepts_it()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Requirements.All.GroupBy(r => r.Id).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, "ids listed twice");
            foreach (var rule in Requirements.All)
            {
                Assert.That(rule.Text, Is.Not.Empty, rule.Id);
                Assert.That(rule.Source.Section, Is.Not.Empty, rule.Id);
                var isHarnessRule = rule.Id.StartsWith("harness-", StringComparison.Ordinal) || rule.Id == Requirements.FhirResponseTime.Id;
                Assert.That(rule.Source.Url is not null || isHarnessRule, $"{rule.Id} names no URL; only the harness's own rules may");
                if (rule.Source.Url is { } url)
                    Assert.That(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps, $"{rule.Id}: '{url}' is not an https URL");
                Assert.DoesNotThrow(() => RequirementPolicy.Parse($"{rule.Id}=warn"), $"{rule.Id} can be named in the policy setting");
                Assert.That(RequirementPolicy.Default.Decide(rule, []).Level, Is.EqualTo(rule.DefaultPolicy), $"{rule.Id}: the policy's default comes from the catalogue");
            }
        });
    }

    [Test]
    public void The_tables_in_features_README_are_generated_from_the_catalogue()
    {
        var path = Path.Combine(Root, "features", "README.md");
        var committed = File.ReadAllText(path);
        var generated = RequirementsTable.Replace(committed, RequirementsTable.Generate(RequirementTags()));
        if (Environment.GetEnvironmentVariable(RequirementsTable.RegenerateVariable) == "1" && generated != committed)
        {
            File.WriteAllText(path, generated);
            committed = File.ReadAllText(path);
        }
        Assert.That(committed, Is.EqualTo(generated),
            $"features/README.md's requirement tables differ from what {Catalogue} and the features' @req tags give. Regenerate them with:\n  {RequirementsTable.RegenerateCommand}");
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
    /// Checks name catalogue entries: no literal of the rule-id shape (nor an interpolated one) in support/ or steps/
    /// outside the catalogue, and no "[id]" in a message other than through an entry.
    /// </summary>
    [Test]
    public void No_rule_id_is_written_as_a_string_outside_the_catalogue()
    {
        var found = new List<string>();
        foreach (var file in new[] { "support", "steps" }.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories))
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")))
        {
            var where = Path.GetRelativePath(Root, file);
            if (where == Catalogue) continue;
            foreach (var (line, number) in File.ReadAllLines(file).Select((l, i) => (l, i + 1)))
            {
                var code = line.TrimStart();
                if (code.StartsWith("//", StringComparison.Ordinal)) continue;
                foreach (Match literal in RuleLiteral().Matches(line))
                    if (!NotRuleIds.ContainsKey(literal.Groups[1].Value)) found.Add($"{where}:{number}: \"{literal.Groups[1].Value}\"");
                foreach (Match template in RuleTemplate().Matches(line))
                    found.Add($"{where}:{number}: $\"{template.Groups[1].Value}\"");
                foreach (Match bracketed in BracketedRule().Matches(line))
                    found.Add($"{where}:{number}: [{bracketed.Groups[1].Value}]");
            }
        }
        Assert.That(found, Is.Empty, $"rule ids written as strings; use the entries of {Catalogue} (Requirements.X, Requirements.ProfileOf, Requirements.SearchBy)");
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

    // A whole string literal of the rule-id shape: "smart-token-response".
    [GeneratedRegex(@"(?<![\w$@])""((?:smart|fhir|c4dic|us-core|harness)-[a-z0-9]+(?:-[a-z0-9]+)*)""")]
    private static partial Regex RuleLiteral();

    // "[id]" as a failure message names it: "[smart-token-patient-context] The token response …".
    [GeneratedRegex(@"\[((?:smart|fhir|c4dic|us-core|harness)-[a-z0-9]+(?:-[a-z0-9]+)*)\]")]
    private static partial Regex BracketedRule();

    // An interpolated literal that starts like a rule id: $"c4dic-{type.ToLowerInvariant()}-profile".
    [GeneratedRegex(@"\$""((?:smart|fhir|c4dic|us-core|harness)-[^""]*\{[^""]*)""")]
    private static partial Regex RuleTemplate();

}
