using DigitalInsurance.Conformance.Detection.Runs;
using DigitalInsurance.Conformance.Detection.Table;
using DigitalInsurance.Conformance.Detection.Verdicts;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Detection.Machinery;

/// <summary>faults.json's "variations": what an entry may say, how its run is judged, and how the matrix shows it.</summary>
[TestFixture, Category("detection")]
public sealed class VariationTableTests
{
    private const string MustSupport = "The Coverage resources the member can get populate every Must Support element of their profiles";
    private const string Search = "Searching Coverage by status returns only the Coverages that match";

    private static readonly VariationRow Row = Variation("required-elements-only+cost-as-extension", """
        { "why": "C4DIC: Must Support does not require a payer to have the data.",
          "filter": "TestCategory=fhir",
          "environment": { "DIC_IG_VERSION": "1.1.0" },
          "mayBeSkipped": [ { "scenarios": "req:c4dic-must-support", "reason": "not demonstrated" } ] }
        """);

    [Test]
    public void An_entry_key_joins_the_variations_run_together_with_a_plus()
    {
        Assert.That(Row.Names, Is.EqualTo(new[] { "required-elements-only", "cost-as-extension" }));
        Assert.That(Row.SandboxVariations, Is.EqualTo("required-elements-only,cost-as-extension"));
        Assert.That(Row.Filter, Is.EqualTo("TestCategory=fhir"));
        Assert.That(Row.Environment, Does.ContainKey("DIC_IG_VERSION").WithValue("1.1.0"));
        Assert.That(Row.Environment, Does.ContainKey("DIC_BROWSER_TIMEOUT_SECONDS"), "the table's environment applies to variation runs too");
    }

    [Test]
    public void An_environment_only_entry_switches_no_variation_on_and_must_set_an_environment()
    {
        var row = Variation("environment-c4dic-1.1.0", """{ "why": "C4DIC 1.1.0 is a published version.", "environment": { "DIC_IG_VERSION": "1.1.0" } }""");
        Assert.That(row.Names, Is.Empty);
        Assert.That(row.SandboxVariations, Is.Empty);

        Assert.That(() => Variation("environment-nothing", """{ "why": "x" }"""),
            Throws.TypeOf<DetectionTableException>().With.Message.Contains("must set \"environment\""));
    }

    [TestCase("""{ "filter": "TestCategory=fhir" }""", "why is required")]
    [TestCase("""{ "why": "x", "mustFail": [] }""", "unknown field(s) mustFail")]
    [TestCase("""{ "why": "x", "mayBeSkipped": [ { "scenarios": "req:c4dic-must-support" } ] }""", "reason is required")]
    [TestCase("""{ "why": "x", "mayBeSkipped": [ { "scenarios": "@fhir", "reason": "r" } ] }""", "must be tags without '@'")]
    [TestCase("""{ "why": "x", "environment": { "DIC_SANDBOX_VARIATIONS": "other" } }""", "must not set DIC_SANDBOX_VARIATIONS")]
    public void A_malformed_entry_is_refused_with_the_field_and_what_it_must_be(string json, string error) =>
        Assert.That(() => Variation("cost-as-extension", json), Throws.TypeOf<DetectionTableException>().With.Message.Contains(error));

    [Test]
    public void A_key_that_is_not_kebab_case_names_is_refused() =>
        Assert.That(() => Variation("Cost As Extension", """{ "why": "x" }"""),
            Throws.TypeOf<DetectionTableException>().With.Message.Contains("variation name (kebab-case)"));

    [Test]
    public void A_table_without_variations_has_none() =>
        Assert.That(TestTables.Load("""{ "faults": {} }""").VariationRows, Is.Empty);

    [Test]
    public void A_run_passing_every_scenario_is_green()
    {
        var verdict = DetectionJudge.JudgeVariation(Row, Run(Result(Search, "search&coverage", ScenarioOutcome.Passed, null)));
        Assert.That(verdict.Green, Is.True);
        Assert.That(verdict.Skips, Is.Empty);
    }

    [Test]
    public void Any_failed_scenario_is_a_false_failure()
    {
        var verdict = DetectionJudge.JudgeVariation(Row, Run(Result(Search, "search&coverage", ScenarioOutcome.Failed, "[c4dic-search-coverage-status] Coverage/2")));
        Assert.That(verdict.Problems, Has.One.StartsWith($"\"{Search}\" failed against the conformant variation 'required-elements-only+cost-as-extension'"));
    }

    [Test]
    public void A_skip_the_entry_allows_with_a_matching_reason_is_green_and_listed()
    {
        var verdict = DetectionJudge.JudgeVariation(Row, Run(
            Result(MustSupport, "fhir&coverage&req:c4dic-must-support", ScenarioOutcome.Skipped, "Must Support not demonstrated: Coverage.class"),
            Result(Search, "search&coverage", ScenarioOutcome.Passed, null)));

        Assert.That(verdict.Problems, Is.Empty);
        Assert.That(verdict.Skips.Select(s => s.Scenario), Is.EqualTo(new[] { MustSupport }));
    }

    [Test]
    public void A_skip_for_another_reason_or_of_another_scenario_is_not_allowed()
    {
        var verdict = DetectionJudge.JudgeVariation(Row, Run(
            Result(MustSupport, "fhir&coverage&req:c4dic-must-support", ScenarioOutcome.Skipped, "The member has no Coverage"),
            Result(Search, "search&coverage", ScenarioOutcome.Skipped, "Must Support not demonstrated")));

        Assert.That(verdict.Problems, Has.Exactly(2).Contains("was skipped under 'required-elements-only+cost-as-extension', but no mayBeSkipped row allows it"));
    }

    [Test]
    public void A_run_that_did_not_end_by_itself_is_not_green()
    {
        var run = Run(Result(Search, "search&coverage", ScenarioOutcome.Passed, null)) with { Problems = ["The run did not end by itself within 900 s and was killed (a hang, not a verdict)."] };
        Assert.That(DetectionJudge.JudgeVariation(Row, run).Green, Is.False);
    }

    [Test]
    public void The_matrix_shows_each_variation_beside_the_faults_with_its_spec_text_skips_and_result()
    {
        var table = TestTables.Load("""
            { "faults": { "server-error": { "mustFail": [ { "scenarios": "fhir", "rules": ["fhir-search"] } ] } },
              "variations": {
                "required-elements-only+cost-as-extension": { "why": "C4DIC: Must Support does not require the data.",
                  "mayBeSkipped": [ { "scenarios": "req:c4dic-must-support", "reason": "not demonstrated" } ] },
                "searchset-outcome-entry": { "why": "FHIR R4 3.1.1.4: search.mode outcome." } } }
            """);
        var row = table.VariationRows["required-elements-only+cost-as-extension"];
        var run = Run(Result(MustSupport, "req:c4dic-must-support", ScenarioOutcome.Skipped, "Must Support not demonstrated: Coverage.class"));
        var collateralRun = Run(Result(Search, "search&coverage", ScenarioOutcome.Failed, "[c4dic-search-coverage-status] x"));
        var input = new MatrixInput(table, new Dictionary<string, string> { ["server-error"] = "FHIR requests fail with 500." },
            new Dictionary<string, FaultVerdict> { ["server-error"] = DetectionJudge.JudgeFault(table.Faults["server-error"], collateralRun) },
            [], DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(5), 1, null, Full: false,
            new Dictionary<string, string>
            {
                ["required-elements-only"] = "Only required elements.",
                ["cost-as-extension"] = "Cost as a string extension.",
                ["searchset-outcome-entry"] = "An OperationOutcome entry.",
                ["never-listed"] = "In no entry.",
            },
            new Dictionary<string, VariationVerdict> { [row.Key] = DetectionJudge.JudgeVariation(row, run) });

        var markdown = DetectionMatrix.Render(input);

        Assert.That(markdown, Does.Contain("| Fault | What the sandbox breaks | Run | Detected by (scenario → rule its failure names) | Collateral | Result |"));
        Assert.That(markdown, Does.Contain($"| — | 1: {Search} | NOT DETECTED"));
        Assert.That(markdown, Does.Contain("1 of 2 conformant variations passed"));
        Assert.That(markdown, Does.Contain("; 2 conformance runs, 1 at a time,"), "the fault's run and the variation's run");
        Assert.That(markdown, Does.Contain("| `required-elements-only+cost-as-extension` | `required-elements-only`: Only required elements. `cost-as-extension`: Cost as a string extension. | " +
                                           "C4DIC: Must Support does not require the data. | every scenario, 1 scenarios, 42 s | " +
                                           $"{MustSupport}: Must Support not demonstrated: Coverage.class | passed |"));
        Assert.That(markdown, Does.Contain("| `searchset-outcome-entry` |").And.Contain("| not run in this session |"));
        Assert.That(markdown, Does.Contain("Variations in no entry of faults.json (not proven): `never-listed`."));
    }

    private static VariationRow Variation(string key, string json) =>
        TestTables.Load($$"""{ "environment": { "DIC_BROWSER_TIMEOUT_SECONDS": "60" }, "faults": {}, "variations": { "{{key}}": {{json}} } }""").VariationRows[key];

    private static ScenarioResult Result(string title, string categories, ScenarioOutcome outcome, string? message) =>
        new("Features." + title.Replace(' ', '_'), title, categories.Split('&', StringSplitOptions.RemoveEmptyEntries), outcome, message);

    private static RunRecord Run(params ScenarioResult[] scenarios) =>
        new(new RunRequest("test", null, null, new Dictionary<string, string>(), TimeSpan.FromMinutes(10), "x"), "/tmp/none",
            new ProcessEnd(true, 0, TimeSpan.FromSeconds(42)), scenarios, []);
}
