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
