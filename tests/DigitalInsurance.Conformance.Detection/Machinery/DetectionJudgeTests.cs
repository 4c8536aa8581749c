using DigitalInsurance.Conformance.Detection.Runs;
using DigitalInsurance.Conformance.Detection.Table;
using DigitalInsurance.Conformance.Detection.Verdicts;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Detection.Machinery;

/// <summary>The judge, on made-up run results: what counts as detected, and every way it is not.</summary>
[TestFixture, Category("detection")]
public sealed class DetectionJudgeTests
{
    private const string Beneficiary = "Each Coverage names the member as its beneficiary";
    private const string Profile = "The member's Coverage found by search meets C4DIC Coverage";
    private const string Payor = "Each Coverage's payor is an Organization that meets C4DIC Organization";

    private static readonly FaultRow Row = TestTables.Row("coverage-missing-beneficiary", """
        { "filter": "TestCategory=coverage",
          "mustFail": [ { "scenarios": "req:c4dic-coverage-beneficiary" },
                        { "scenarios": "req:c4dic-coverage-profile", "message": "beneficiary" } ] }
        """);

    [Test]
    public void Named_scenarios_failing_with_their_rule_and_the_others_passing_is_a_detection()
    {
        var verdict = DetectionJudge.JudgeFault(Row, Run(
            Failed(Beneficiary, "req:c4dic-coverage-beneficiary", "[c4dic-coverage-beneficiary] Every Coverage must name the member. Observed: none"),
            Failed(Profile, "req:c4dic-coverage-profile", "[c4dic-coverage-profile] Coverage/1: Coverage.beneficiary: minimum required = 1"),
            Passed(Payor, "req:c4dic-coverage-payor")));

        Assert.That(verdict.Problems, Is.Empty);
        Assert.That(verdict.Detected, Is.True);
        Assert.That(verdict.Detections.Select(d => (d.Scenario, d.Rule)),
            Is.EquivalentTo(new[] { (Beneficiary, "c4dic-coverage-beneficiary"), (Profile, "c4dic-coverage-profile") }));
    }

    [Test]
    public void A_named_scenario_that_passes_is_not_a_detection()
    {
        var verdict = DetectionJudge.JudgeFault(Row, Run(
            Passed(Beneficiary, "req:c4dic-coverage-beneficiary"),
            Failed(Profile, "req:c4dic-coverage-profile", "[c4dic-coverage-profile] beneficiary missing")));

        Assert.That(verdict.Detected, Is.False);
        Assert.That(verdict.Problems, Has.One.Contains($"\"{Beneficiary}\" must fail naming [c4dic-coverage-beneficiary], but it passed."));
    }

    [Test]
    public void Another_scenario_failing_too_is_not_a_detection()
    {
        var verdict = DetectionJudge.JudgeFault(Row, Run(
            Failed(Beneficiary, "req:c4dic-coverage-beneficiary", "[c4dic-coverage-beneficiary] none"),
            Failed(Profile, "req:c4dic-coverage-profile", "[c4dic-coverage-profile] beneficiary"),
            Failed(Payor, "req:c4dic-coverage-payor", "[c4dic-coverage-payor] no payor")));

        Assert.That(verdict.Problems, Has.One.StartsWith($"\"{Payor}\" failed although 'coverage-missing-beneficiary' is not declared to concern it"));
    }

    [Test]
    public void A_failure_naming_another_rule_or_missing_the_pattern_is_not_a_detection()
    {
        var verdict = DetectionJudge.JudgeFault(Row, Run(
            Failed(Beneficiary, "req:c4dic-coverage-beneficiary", "[fhir-search] GET /r4/Coverage must answer 200 OK."),
            Failed(Profile, "req:c4dic-coverage-profile", "[c4dic-coverage-profile] Coverage.status: unknown code")));

        Assert.That(verdict.Problems, Has.Exactly(2).Contains("failed, but its message does not name"));
    }

    [Test]
    public void An_unhandled_exception_is_not_a_detection_even_when_it_mentions_the_rule()
    {
        var verdict = DetectionJudge.JudgeFault(Row, Run(
            Failed(Beneficiary, "req:c4dic-coverage-beneficiary", "System.Text.Json.JsonException : '}' is invalid after [c4dic-coverage-beneficiary]"),
            Failed(Profile, "req:c4dic-coverage-profile", "[c4dic-coverage-profile] beneficiary")));

        Assert.That(verdict.Problems, Has.One.Contains("failed with an unhandled exception"));
    }

    [Test]
    public void A_selector_that_selects_no_scenario_of_the_run_is_reported_as_a_missing_scenario()
    {
        var verdict = DetectionJudge.JudgeFault(Row, Run(Failed(Beneficiary, "req:c4dic-coverage-beneficiary", "[c4dic-coverage-beneficiary] none")));

        Assert.That(verdict.Problems, Has.One.StartsWith("No scenario in the run carries @req:c4dic-coverage-profile (run filter TestCategory=coverage)"));
    }

    [Test]
    public void A_selector_of_several_tags_selects_scenarios_carrying_all_of_them()
    {
        var row = TestTables.Row("patient-invalid-gender", """{ "mustFail": [ { "scenarios": "fhir&patient", "rules": ["c4dic-patient-profile"] } ] }""");

        var verdict = DetectionJudge.JudgeFault(row, Run(
            Failed("Patient search", "fhir&patient&req:c4dic-patient-profile", "[c4dic-patient-profile] Patient.gender"),
            Passed("Token names the patient", "token&patient")));

        Assert.That(verdict.Problems, Is.Empty);
    }

    [Test]
    public void A_selector_excludes_scenarios_carrying_a_tag_marked_with_an_exclamation_mark()
    {
        var row = TestTables.Row("paging-broken", """{ "mustFail": [ { "scenarios": "fhir&!req:c4dic-search-include-payor", "rules": ["fhir-search-paging"] } ] }""");

        var verdict = DetectionJudge.JudgeFault(row, Run(
            Failed("Coverage search", "fhir&coverage&req:fhir-search", "[fhir-search-paging] next link repeats"),
            Passed("Coverage with _include", "fhir&coverage&req:c4dic-search-include-payor")));

        Assert.That(verdict.Problems, Is.Empty);
    }

    [Test]
    public void A_title_pattern_picks_outline_rows_that_share_their_tags()
    {
        var row = TestTables.Row("search-ignores-parameter",
            """{ "mustFail": [ { "scenarios": "search&coverage", "title": "^Searching Coverage by (_id|status) ", "rules": ["c4dic-search-coverage-*"] } ] }""");

        var verdict = DetectionJudge.JudgeFault(row, Run(
            Failed("Searching Coverage by _id returns only the Coverages that match", "search&coverage", "[c4dic-search-coverage-id] Coverage/2 does not match"),
            Failed("Searching Coverage by status returns only the Coverages that match", "search&coverage", "[c4dic-search-coverage-status] Coverage/2 does not match"),
            Passed("Searching Coverage by subscriber returns only the Coverages that match", "search&coverage")));

        Assert.That(verdict.Problems, Is.Empty);
        Assert.That(verdict.Detections.Select(d => d.Rule), Is.EquivalentTo(new[] { "c4dic-search-coverage-id", "c4dic-search-coverage-status" }));
    }

    [Test]
    public void A_run_that_did_not_end_by_itself_is_not_a_detection()
    {
        var run = Run(Failed(Beneficiary, "req:c4dic-coverage-beneficiary", "[c4dic-coverage-beneficiary] none"),
                      Failed(Profile, "req:c4dic-coverage-profile", "[c4dic-coverage-profile] beneficiary")) with
        {
            Problems = ["The run did not end by itself within 600 s and was killed (a hang, not a verdict)."],
        };

        Assert.That(DetectionJudge.JudgeFault(Row, run).Detected, Is.False);
    }

    [Test]
    public void A_clean_run_is_green_only_when_no_scenario_failed()
    {
        Assert.That(DetectionJudge.JudgeClean(1, Run(Passed(Beneficiary, "coverage"), Skipped(Payor))).Green, Is.True);
        Assert.That(DetectionJudge.JudgeClean(2, Run(Passed(Beneficiary, "coverage"), Failed(Profile, "coverage", "[x] y"))).Problems,
            Has.One.StartsWith($"\"{Profile}\" failed against the clean sandbox"));
    }

    [Test]
    public void A_scenario_passing_in_one_clean_run_and_failing_in_another_is_flaky()
    {
        var runs = new[]
        {
            DetectionJudge.JudgeClean(1, Run(Passed(Beneficiary, "coverage"), Passed(Profile, "coverage"))),
            DetectionJudge.JudgeClean(2, Run(Passed(Beneficiary, "coverage"), Failed(Profile, "coverage", "[x] timing"))),
        };

        Assert.That(DetectionJudge.Flaky(runs), Is.EqualTo(new[] { Profile }));
    }

    [TestCase("[fhir-search] GET /r4/Patient must answer 200 OK.", false)]
    [TestCase("The run's shared authorization failed in an earlier scenario: [smart-token-response] ...", false)]
    [TestCase("System.InvalidOperationException : No token response in this scenario", true)]
    [TestCase("Hl7.Fhir.Serialization.DeserializationFailedException : Invalid JSON", true)]
    public void Unhandled_exceptions_are_told_from_verdicts_by_NUnit_s_message_format(string message, bool unhandled) =>
        Assert.That(DetectionJudge.LooksLikeUnhandledException(message), Is.EqualTo(unhandled));

    private static ScenarioResult Passed(string title, string categories) => Result(title, categories, ScenarioOutcome.Passed, null);
    private static ScenarioResult Skipped(string title) => Result(title, "", ScenarioOutcome.Skipped, null);
    private static ScenarioResult Failed(string title, string categories, string message) => Result(title, categories, ScenarioOutcome.Failed, message);

    private static ScenarioResult Result(string title, string categories, ScenarioOutcome outcome, string? message) =>
        new("Features." + title.Replace(' ', '_'), title, categories.Split('&', StringSplitOptions.RemoveEmptyEntries), outcome, message);

    private static RunRecord Run(params ScenarioResult[] scenarios) =>
        new(new RunRequest("test", "fault", null, new Dictionary<string, string>(), TimeSpan.FromMinutes(10)), "/tmp/none",
            new ProcessEnd(true, 1, TimeSpan.FromSeconds(42)), scenarios, []);
}
