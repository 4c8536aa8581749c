using DigitalInsurance.Conformance.Detection.Runs;
using DigitalInsurance.Conformance.Detection.Table;
using DigitalInsurance.Conformance.Detection.Verdicts;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Detection;

/// <summary>
/// One test per entry of faults.json's "variations": the conformance suite against the sandbox with those conformant
/// variations on fails no scenario, and skips only the scenarios the entry allows, for the reason it names (issue #13:
/// no false failures). Run one: <c>--filter "Name~searchset_outcome_entry"</c>.
/// </summary>
[TestFixture, Category("detection"), Parallelizable(ParallelScope.All)]
public sealed class VariationTests
{
    private static readonly Lazy<DetectionTable> Table = new(() => DetectionTable.Load(DetectionTable.DefaultPath));

    public static IEnumerable<TestCaseData> Variations() =>
        DetectionTable.Load(DetectionTable.DefaultPath).VariationRows.Keys.Order(StringComparer.Ordinal)
            .Select(key => new TestCaseData(key).SetName(TestName(key)));

    /// <summary>"cost-as-extension+searchset-outcome-entry" → "Conformant_cost_as_extension_and_searchset_outcome_entry".</summary>
    public static string TestName(string key) => "Conformant_" + key.Replace("+", "_and_").Replace('-', '_').Replace('.', '_');

    [TestCaseSource(nameof(Variations))]
    public async Task Variation_fails_no_scenario(string key)
    {
        var row = Table.Value.VariationRows[key];
        RunRecord run;
        try
        {
            run = await ConformanceRunner.RunAsync(new RunRequest($"variation-{key}", null, row.Filter, row.Environment, row.RunTimeout, row.SandboxVariations));
        }
        catch (Exception e)
        {
            DetectionSession.Record(new VariationVerdict(key, null, [], [$"No conformance run: {e.Message}"]));
            throw;
        }
        var verdict = DetectionJudge.JudgeVariation(row, run);
        DetectionSession.Record(verdict);

        foreach (var skip in verdict.Skips)
            TestContext.Out.WriteLine($"skipped as allowed: \"{skip.Scenario}\": {skip.Reason}");
        Assert.That(verdict.Problems, Is.Empty,
            $"The conformant variation '{key}' is not passed as {DetectionTable.FileName} declares (results: {run.Folder}):{Environment.NewLine}- " +
            string.Join(Environment.NewLine + "- ", verdict.Problems));
    }
}
