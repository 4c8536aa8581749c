using DigitalInsurance.Conformance.Detection.Runs;
using DigitalInsurance.Conformance.Detection.Table;
using DigitalInsurance.Conformance.Detection.Verdicts;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Detection;

/// <summary>
/// The whole conformance suite against the sandbox with no fault, as many times as faults.json says (cleanRuns): every
/// run green, so a fault run's failures are the fault's, and no scenario is flaky.
/// </summary>
[TestFixture, Category("detection"), Parallelizable(ParallelScope.All)]
public sealed class CleanSandboxTests
{
    private static readonly Lazy<DetectionTable> Table = new(() => DetectionTable.Load(DetectionTable.DefaultPath));

    public static IEnumerable<TestCaseData> Runs() =>
        Enumerable.Range(1, DetectionTable.Load(DetectionTable.DefaultPath).CleanRuns)
            .Select(n => new TestCaseData(n).SetName($"Clean_sandbox_run_{n}"));

    [TestCaseSource(nameof(Runs))]
    public async Task Clean_sandbox_fails_no_scenario(int number)
    {
        RunRecord run;
        try
        {
            run = await ConformanceRunner.RunAsync(new RunRequest($"clean-{number}", null, null, Table.Value.Environment, Table.Value.RunTimeout));
        }
        catch (Exception e)
        {
            DetectionSession.Record(new CleanVerdict(number, null, [$"No conformance run: {e.Message}"]));
            throw;
        }
        var verdict = DetectionJudge.JudgeClean(number, run);
        DetectionSession.Record(verdict);

        Assert.That(verdict.Problems, Is.Empty,
            $"Clean run {number} is not green (results: {run.Folder}):{Environment.NewLine}- " + string.Join(Environment.NewLine + "- ", verdict.Problems));
    }
}
