using System.Text.RegularExpressions;
using DigitalInsurance.Conformance.Detection.Runs;
using DigitalInsurance.Conformance.Detection.Table;

namespace DigitalInsurance.Conformance.Detection.Verdicts;

/// <summary>A scenario that detected its fault: it failed with a message naming the rule.</summary>
public sealed record DetectingScenario(string Scenario, string Rule, string Message);

/// <summary>The verdict on one fault run: detected when <see cref="Problems"/> is empty.</summary>
/// <param name="Collateral">Scenarios that failed beyond those the fault's row names (each is also a problem); the goal is none.</param>
public sealed record FaultVerdict(
    string Fault,
    RunRecord? Run,
    IReadOnlyList<DetectingScenario> Detections,
    IReadOnlyList<string> Problems,
    string? NotYetDetected = null,
    IReadOnlyList<string>? Collateral = null)
{
    public bool Detected => NotYetDetected is null && Problems.Count == 0;
    public IReadOnlyList<string> CollateralScenarios => Collateral ?? [];
}

/// <summary>A scenario a variation's run skipped, with the reason it gave.</summary>
public sealed record SkippedScenario(string Scenario, string Reason);

/// <summary>The verdict on one variation run: conformant payer passed when <see cref="Problems"/> is empty.</summary>
public sealed record VariationVerdict(string Key, RunRecord? Run, IReadOnlyList<SkippedScenario> Skips, IReadOnlyList<string> Problems)
{
    public bool Green => Problems.Count == 0;
}

/// <summary>The verdict on one clean run: green when <see cref="Problems"/> is empty.</summary>
public sealed record CleanVerdict(int Number, RunRecord? Run, IReadOnlyList<string> Problems)
{
    public bool Green => Problems.Count == 0;
}

/// <summary>Holds a conformance run's TRX verdicts against the detection table.</summary>
public static partial class DetectionJudge
{
    private const int MessageExcerpt = 240;

    /// <summary>
    /// Detected means: the run ended by itself with readable results; every scenario the row selects failed with a message
    /// naming one of its rules (and matching its message pattern), never an unhandled exception; every selector selected
    /// at least one scenario; and no other scenario failed.
    /// </summary>
    public static FaultVerdict JudgeFault(FaultRow row, RunRecord run)
    {
        var problems = new List<string>(run.Problems);
        var detections = new List<DetectingScenario>();
        var collateral = new List<string>();

        foreach (var expectation in row.MustFail.Where(e => !run.Scenarios.Any(s => e.Selects(s.Categories, s.Title))))
            problems.Add($"No scenario in the run carries {Tags(expectation)}{FilterNote(row)}: the scenario that should detect '{row.Fault}' is missing or untagged.");

        foreach (var scenario in run.Scenarios)
        {
            var selecting = row.MustFail.Where(e => e.Selects(scenario.Categories, scenario.Title)).ToList();
            if (selecting.Count == 0)
            {
                if (scenario.Outcome == ScenarioOutcome.Failed)
                {
                    collateral.Add(scenario.Title);
                    problems.Add($"\"{scenario.Title}\" failed although '{row.Fault}' is not declared to concern it: {Excerpt(scenario.Message)}");
                }
                continue;
            }

            var expected = string.Join(" or ", selecting.Select(e => e.Describe()));
            if (scenario.Outcome != ScenarioOutcome.Failed)
            {
                problems.Add($"\"{scenario.Title}\" must fail naming {expected}, but it {scenario.Outcome.ToString().ToLowerInvariant()}.");
                continue;
            }
            if (LooksLikeUnhandledException(scenario.Message))
            {
                problems.Add($"\"{scenario.Title}\" failed with an unhandled exception instead of a verdict naming {expected}: {Excerpt(scenario.Message)}");
                continue;
            }
            var satisfied = selecting.FirstOrDefault(e => e.IsSatisfiedBy(scenario.Message));
            if (satisfied is null)
            {
                problems.Add($"\"{scenario.Title}\" failed, but its message does not name {expected}: {Excerpt(scenario.Message)}");
                continue;
            }
            detections.Add(new DetectingScenario(scenario.Title, satisfied.NamedRule(scenario.Message)!, Excerpt(scenario.Message)));
        }
        return new FaultVerdict(row.Fault, run, detections, problems, Collateral: collateral);
    }

    /// <summary>
    /// Green means: the run ended by itself with readable results and ran at least one scenario; no scenario failed; and
    /// every skipped scenario is one a mayBeSkipped row selects, with a skip reason matching that row's. A variation is
    /// conformant, so a failure is a false failure of the harness, and an unexplained skip may hide one.
    /// </summary>
    public static VariationVerdict JudgeVariation(VariationRow row, RunRecord run)
    {
        var problems = new List<string>(run.Problems);
        var skips = new List<SkippedScenario>();
        foreach (var scenario in run.Scenarios)
        {
            switch (scenario.Outcome)
            {
                case ScenarioOutcome.Failed:
                    problems.Add($"\"{scenario.Title}\" failed against the conformant variation '{row.Key}': {Excerpt(scenario.Message)}");
                    break;
                case ScenarioOutcome.Skipped when row.MayBeSkipped.Any(s => s.Allows(scenario.Categories, scenario.Title, scenario.Message)):
                    skips.Add(new SkippedScenario(scenario.Title, Excerpt(scenario.Message)));
                    break;
                case ScenarioOutcome.Skipped:
                    problems.Add($"\"{scenario.Title}\" was skipped under '{row.Key}', but no mayBeSkipped row allows it" +
                                 (row.MayBeSkipped.Count == 0 ? "" : $" (allowed: {string.Join("; ", row.MayBeSkipped.Select(s => s.Describe()))})") +
                                 $": {Excerpt(scenario.Message)}");
                    break;
            }
        }
        return new VariationVerdict(row.Key, run, skips, problems);
    }

    /// <summary>Green means: the run ended by itself with readable results, ran at least one scenario, and none failed.</summary>
    public static CleanVerdict JudgeClean(int number, RunRecord run)
    {
        var problems = new List<string>(run.Problems);
        foreach (var scenario in run.Scenarios.Where(s => s.Outcome == ScenarioOutcome.Failed))
            problems.Add($"\"{scenario.Title}\" failed against the clean sandbox: {Excerpt(scenario.Message)}");
        return new CleanVerdict(number, run, problems);
    }

    /// <summary>Scenarios whose outcome differs between clean runs (passed in some, failed in others).</summary>
    public static IReadOnlyList<string> Flaky(IEnumerable<CleanVerdict> runs)
    {
        var outcomes = runs.SelectMany(r => r.Run?.Scenarios ?? [])
            .GroupBy(s => s.FullName)
            .Where(g => g.Select(s => s.Outcome).Where(o => o != ScenarioOutcome.Skipped).Distinct().Count() > 1)
            .Select(g => g.First().Title)
            .Order(StringComparer.Ordinal)
            .ToList();
        return outcomes;
    }

    /// <summary>
    /// A failure the harness did not turn into a verdict: NUnit reports an exception that is not an assertion as
    /// "Namespace.TypeException : message" (a ConformanceFailure's message is its own "[rule] ..." text).
    /// </summary>
    public static bool LooksLikeUnhandledException(string? message) => message is not null && UnhandledException().IsMatch(message);

    public static string Excerpt(string? message)
    {
        if (string.IsNullOrWhiteSpace(message)) return "(no message)";
        var oneLine = message.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= MessageExcerpt ? oneLine : oneLine[..MessageExcerpt] + "…";
    }

    private static string Tags(FailureExpectation expectation) =>
        string.Join(" and ", expectation.Categories.Select(c => c.StartsWith('!') ? $"not @{c[1..]}" : $"@{c}"))
        + (expectation.Title is null ? "" : $" with a title matching /{expectation.Title}/");

    private static string FilterNote(FaultRow row) => row.Filter is null ? "" : $" (run filter {row.Filter})";

    [GeneratedRegex(@"^\s*[A-Za-z_][\w.`+]*(Exception|Error)\s*:", RegexOptions.CultureInvariant)]
    private static partial Regex UnhandledException();
}
