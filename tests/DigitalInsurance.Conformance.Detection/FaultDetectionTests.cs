using DemoHealthPlan.Sandbox.Faults;
using DigitalInsurance.Conformance.Detection.Runs;
using DigitalInsurance.Conformance.Detection.Table;
using DigitalInsurance.Conformance.Detection.Verdicts;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Detection;

/// <summary>
/// One test per fault switch the sandbox knows: the conformance suite, run with that fault on, fails exactly the scenarios
/// faults.json names, each with a message naming the rule. Run one: <c>--filter "Name~coverage_missing_beneficiary"</c>.
/// </summary>
[TestFixture, Category("detection"), Parallelizable(ParallelScope.All)]
public sealed class FaultDetectionTests
{
    private static readonly Lazy<DetectionTable> Table = new(() => DetectionTable.Load(DetectionTable.DefaultPath));

    public static IEnumerable<TestCaseData> Faults() =>
        SandboxFaults.Known.Keys.Order(StringComparer.Ordinal)
            .Select(fault => new TestCaseData(fault).SetName($"Detects_{fault.Replace('-', '_')}").SetDescription(SandboxFaults.Known[fault]));

    [TestCaseSource(nameof(Faults))]
    public async Task Fault_is_detected_by_the_scenarios_the_table_names(string fault)
    {
        if (!Table.Value.Faults.TryGetValue(fault, out var row))
        {
            DetectionSession.Record(new FaultVerdict(fault, null, [], [$"'{fault}' has no row in {DetectionTable.FileName}."]));
            Assert.Fail($"The sandbox fault '{fault}' has no row in {DetectionTable.DefaultPath}: add one naming the scenarios that must fail when it is on.");
        }
        if (row!.NotYetDetected is { } reason)
        {
            DetectionSession.Record(new FaultVerdict(fault, null, [], [], reason));
            Assert.Ignore($"Not detected yet: {reason}");
        }

        RunRecord run;
        try
        {
            run = await ConformanceRunner.RunAsync(new RunRequest(fault, fault, row.Filter, row.Environment, row.RunTimeout));
        }
        catch (Exception e)
        {
            DetectionSession.Record(new FaultVerdict(fault, null, [], [$"No conformance run: {e.Message}"]));
            throw;
        }
        var verdict = DetectionJudge.JudgeFault(row, run);
        DetectionSession.Record(verdict);

        foreach (var detection in verdict.Detections)
            TestContext.Out.WriteLine($"detected by \"{detection.Scenario}\": {detection.Message}");
        Assert.That(verdict.Problems, Is.Empty,
            $"'{fault}' is not detected as {DetectionTable.FileName} declares (results: {run.Folder}):{Environment.NewLine}- " +
            string.Join(Environment.NewLine + "- ", verdict.Problems));
    }
}
