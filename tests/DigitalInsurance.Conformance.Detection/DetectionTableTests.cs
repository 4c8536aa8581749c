using System.Text.RegularExpressions;
using DemoHealthPlan.Sandbox.Faults;
using DigitalInsurance.Conformance.Detection.Table;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Detection;

/// <summary>Fast: faults.json and the sandbox's fault switches agree, and the tags it names exist in the features.</summary>
[TestFixture, Category("detection")]
public sealed partial class DetectionTableTests
{
    private static DetectionTable Table => DetectionTable.Load(DetectionTable.DefaultPath);

    [Test]
    public void Every_sandbox_fault_has_a_row_in_the_table()
    {
        var missing = SandboxFaults.Known.Keys.Except(Table.Faults.Keys).Order(StringComparer.Ordinal).ToList();
        Assert.That(missing, Is.Empty,
            $"Fault switches without a row in {DetectionTable.DefaultPath}: add a row naming the scenarios that must fail when each is on.");
    }

    [Test]
    public void Every_row_is_a_fault_the_sandbox_knows()
    {
        var unknown = Table.Faults.Keys.Except(SandboxFaults.Known.Keys).ToList();
        Assert.That(unknown, Is.Empty, "Rows of faults.json for faults not in SandboxFaults.Known (misspelt or removed).");
    }

    [Test]
    public void Every_tag_the_table_selects_scenarios_by_is_on_some_scenario()
    {
        var tags = FeatureTags();
        var absent = Table.Faults.Values
            .SelectMany(row => row.MustFail.SelectMany(e => e.Categories).Select(tag => (row.Fault, Tag: tag.TrimStart('!'))))
            .Where(x => !tags.Contains(x.Tag))
            .Select(x => $"{x.Fault}: @{x.Tag}")
            .ToList();
        Assert.That(absent, Is.Empty, "faults.json selects scenarios by tags that no feature file carries.");
    }

    [Test]
    public void Every_sandbox_variation_is_in_some_variations_entry()
    {
        var covered = Table.VariationRows.Values.SelectMany(row => row.Names).ToHashSet(StringComparer.Ordinal);
        var missing = SandboxVariations.Known.Keys.Where(name => !covered.Contains(name)).Order(StringComparer.Ordinal).ToList();
        Assert.That(missing, Is.Empty,
            $"Sandbox variations in no entry of \"variations\" in {DetectionTable.DefaultPath}: add an entry (alone or \"+\"-joined with compatible ones) with the spec text that allows it.");
    }

    [Test]
    public void Every_variations_entry_names_variations_the_sandbox_knows()
    {
        var unknown = Table.VariationRows.Values
            .SelectMany(row => row.Names.Where(name => !SandboxVariations.Known.ContainsKey(name)).Select(name => $"{row.Key}: {name}"))
            .ToList();
        Assert.That(unknown, Is.Empty, "Entries of \"variations\" in faults.json name variations not in SandboxVariations.Known (misspelt or removed).");
    }

    [Test]
    public void Every_tag_a_variation_allows_skips_for_is_on_some_scenario()
    {
        var tags = FeatureTags();
        var absent = Table.VariationRows.Values
            .SelectMany(row => row.MayBeSkipped.SelectMany(s => s.Scenarios.Categories).Select(tag => (row.Key, Tag: tag.TrimStart('!'))))
            .Where(x => !tags.Contains(x.Tag))
            .Select(x => $"{x.Key}: @{x.Tag}")
            .ToList();
        Assert.That(absent, Is.Empty, "faults.json's \"variations\" allow skips of scenarios by tags that no feature file carries.");
    }

    /// <summary>Every tag in features/**/*.feature (tag lines only; comments and text are not tags).</summary>
    private static HashSet<string> FeatureTags()
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, "features"), "*.feature", SearchOption.AllDirectories))
            foreach (var line in File.ReadLines(file).Select(l => l.Trim()).Where(l => l.StartsWith('@')))
                foreach (Match tag in Tag().Matches(line.Split('#')[0]))
                    tags.Add(tag.Value[1..]);
        return tags;
    }

    [GeneratedRegex(@"@[^\s@]+")]
    private static partial Regex Tag();
}
