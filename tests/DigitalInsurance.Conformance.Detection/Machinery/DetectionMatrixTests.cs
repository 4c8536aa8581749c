using DigitalInsurance.Conformance.Detection.Runs;
using DigitalInsurance.Conformance.Detection.Verdicts;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Detection.Machinery;

/// <summary>The matrix lists every fault the sandbox knows with its result, whether it ran, failed, waits for scenarios or has no row.</summary>
[TestFixture, Category("detection")]
public sealed class DetectionMatrixTests
{
    private static readonly Dictionary<string, string> Faults = new()
    {
        ["coverage-missing-beneficiary"] = "Coverage resources are served without beneficiary.",
        ["server-error"] = "FHIR requests fail with 500 Internal Server Error.",
        ["writes-allowed"] = "The FHIR API accepts create, update and delete with a read-only token.",
        ["brand-new-fault"] = "Something new.",
    };

    [Test]
    public void Every_known_fault_gets_a_row_with_its_result()
    {
        var table = TestTables.Load("""
            { "cleanRuns": 2, "faults": {
              "coverage-missing-beneficiary": { "filter": "TestCategory=coverage", "mustFail": [ { "scenarios": "req:c4dic-coverage-beneficiary" } ] },
              "server-error": { "mustFail": [ { "scenarios": "fhir", "rules": ["fhir-search"], "message": "500" } ] },
              "writes-allowed": { "notYetDetected": "no write scenario yet" } } }
            """);
        var run = Run(new ScenarioResult("F.Beneficiary", "Each Coverage names the member as its beneficiary", ["req:c4dic-coverage-beneficiary"],
            ScenarioOutcome.Failed, "[c4dic-coverage-beneficiary] none"));
        var verdicts = new Dictionary<string, FaultVerdict>
        {
            ["coverage-missing-beneficiary"] = new("coverage-missing-beneficiary", run,
                [new DetectingScenario("Each Coverage names the member as its beneficiary", "c4dic-coverage-beneficiary", "[c4dic-coverage-beneficiary] none")], []),
            ["server-error"] = new("server-error", run, [], ["\"Patient search\" must fail naming [fhir-search] and /500/, but it passed."]),
            ["writes-allowed"] = new("writes-allowed", null, [], [], "no write scenario yet"),
        };
        var clean = new[]
        {
            DetectionJudge.JudgeClean(1, Run(new ScenarioResult("F.A", "Scenario A", [], ScenarioOutcome.Passed, null))),
            DetectionJudge.JudgeClean(2, Run(new ScenarioResult("F.A", "Scenario A", [], ScenarioOutcome.Failed, "[x] once"))),
        };

        var markdown = DetectionMatrix.Render(new MatrixInput(table, Faults, verdicts, clean, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(95), 2, "abc1234", Full: true));

        Assert.That(markdown, Does.Contain("Last full run: 1970-01-01 00:00 UTC, commit `abc1234`; 4 conformance runs, 2 at a time, 1 min 35 s in all."));
        Assert.That(markdown, Does.Contain("**1 of 4 faults detected; 1 of 2 clean runs green; 0 of 0 conformant variations passed.**"));
        Assert.That(markdown, Does.Contain("| `coverage-missing-beneficiary` | Coverage resources are served without beneficiary. | `TestCategory=coverage`, 1 scenarios, 42 s | " +
                                           "Each Coverage names the member as its beneficiary → `[c4dic-coverage-beneficiary]` | 0 | detected |"));
        Assert.That(markdown, Does.Contain("| `server-error` |").And.Contain("NOT DETECTED: \"Patient search\" must fail naming [fhir-search] and /500/, but it passed."));
        Assert.That(markdown, Does.Contain("| `writes-allowed` |").And.Contain("NOT DETECTED YET: no write scenario yet"));
        Assert.That(markdown, Does.Contain("| `brand-new-fault` | Something new. | no row in faults.json | — | — | NOT DETECTED: the fault has no row in faults.json |"));
        Assert.That(markdown, Does.Contain("Flaky scenarios: \"Scenario A\"."));
    }

    private static RunRecord Run(params ScenarioResult[] scenarios) =>
        new(new RunRequest("run", null, null, new Dictionary<string, string>(), TimeSpan.FromMinutes(10)), "/tmp/none",
            new ProcessEnd(true, 1, TimeSpan.FromSeconds(42)), scenarios, []);
}
