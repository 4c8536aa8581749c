using System.Text;
using System.Text.RegularExpressions;
using DigitalInsurance.Conformance.Support.Redaction;

namespace DigitalInsurance.Conformance.Support.Reporting.Progress;

/// <summary>A scenario as it finished: what the console line and the end-of-run summary say about it.</summary>
/// <param name="Status">An Allure status: passed, failed, broken or skipped.</param>
/// <param name="Message">The failure, or the reason it was skipped or could not run; null when it passed.</param>
public sealed partial record ScenarioOutcome(string Status, string Title, string? Message)
{
    /// <summary>
    /// The rule a failure names first ("[smart-token-scope] …"), as every check's message does; a harness error's message
    /// starts with its exception type ("PreflightFailedException: [harness-preflight] …").
    /// </summary>
    public string? RuleId => Message is not null && LeadingRule().Match(Message) is { Success: true } match ? match.Groups[1].Value : null;

    public string FirstLineOfMessage => (Message ?? "").Split('\n', 2)[0].Trim();

    [GeneratedRegex(@"^\s*(?:\w+: )?\[([a-z0-9]+(?:-[a-z0-9]+)*)\]")]
    private static partial Regex LeadingRule();
}

/// <summary>Where a run's results are, for the last lines of the summary.</summary>
public sealed record ResultLocations(string? TrxFolder, IReadOnlyList<string> ReqnrollReports, string AllureResults, string ReportCommand);

/// <summary>
/// The run on the console: one line per scenario as it finishes (outcome, title, the rule a failure names) and, at the
/// end, a summary QA can act on. Lines go through the test run's progress channel and are redacted.
/// </summary>
public static class RunConsole
{
    private static readonly Lock Gate = new();
    private static readonly List<ScenarioOutcome> Finished = [];
    private static Action<string> _write = line => NUnit.Framework.TestContext.Progress.WriteLine(line);

    internal static void ScenarioFinished(ScenarioOutcome outcome)
    {
        lock (Gate) Finished.Add(outcome);
        Write(Line(outcome));
    }

    /// <summary>Prints the summary of every scenario reported so far; nothing when none was.</summary>
    internal static void WriteSummary(ResultLocations locations)
    {
        List<ScenarioOutcome> outcomes;
        lock (Gate) outcomes = [.. Finished];
        if (outcomes.Count > 0) Write(Summary(outcomes, locations));
    }

    /// <summary>Redirects the console lines (tests); returns the previous writer.</summary>
    internal static Action<string> RedirectTo(Action<string> write)
    {
        lock (Gate)
        {
            var previous = _write;
            _write = write;
            Finished.Clear();
            return previous;
        }
    }

    public static string Line(ScenarioOutcome outcome)
    {
        var line = $"{Label(outcome.Status),-7} {outcome.Title}";
        return outcome.Status switch
        {
            "failed" or "broken" => line + (outcome.RuleId is { } rule ? $"  [{rule}]" : $"  ({outcome.FirstLineOfMessage})"),
            "skipped" => line + $"  ({outcome.FirstLineOfMessage})",
            _ => line,
        };
    }

    public static string Summary(IReadOnlyList<ScenarioOutcome> outcomes, ResultLocations locations)
    {
        var text = new StringBuilder();
        text.AppendLine().AppendLine($"Conformance run: {outcomes.Count} scenario(s): " + string.Join(", ",
            new[] { "passed", "failed", "broken", "skipped" }
                .Select(s => (Status: s, Count: outcomes.Count(o => o.Status == s)))
                .Where(c => c.Count > 0)
                .Select(c => $"{c.Count} {c.Status}")));

        var failures = outcomes.Where(o => o.Status is "failed" or "broken").ToList();
        if (failures.Count > 0)
        {
            text.AppendLine("Failures by requirement:");
            foreach (var group in failures.GroupBy(f => f.RuleId ?? (f.Status == "broken" ? "(harness error, no rule)" : "(no rule named)"))
                         .OrderBy(g => g.Key.StartsWith('(')).ThenBy(g => g.Key, StringComparer.Ordinal))
            {
                text.AppendLine($"  {(group.Key.StartsWith('(') ? group.Key : $"[{group.Key}]")}: {group.Count()}");
                foreach (var failure in group)
                    text.AppendLine($"    {failure.Title}: {WithoutRule(failure.FirstLineOfMessage, failure.RuleId)}");
            }
        }

        var skips = outcomes.Where(o => o.Status == "skipped").ToList();
        if (skips.Count > 0)
        {
            text.AppendLine("Skipped:");
            foreach (var skip in skips) text.AppendLine($"  {skip.Title}: {skip.FirstLineOfMessage}");
        }

        text.AppendLine("Results:");
        if (locations.TrxFolder is not null) text.AppendLine($"  TRX: {locations.TrxFolder}");
        foreach (var report in locations.ReqnrollReports) text.AppendLine($"  Reqnroll: {report}");
        text.AppendLine($"  Allure results: {locations.AllureResults}");
        text.Append($"Build the Allure report: {locations.ReportCommand}");
        return text.ToString();
    }

    private static string WithoutRule(string line, string? rule) =>
        rule is null ? line : line.Replace($"[{rule}]", "", StringComparison.Ordinal).Replace("  ", " ", StringComparison.Ordinal).Trim();

    private static string Label(string status) => status switch
    {
        "passed" => "passed",
        "failed" => "FAILED",
        "broken" => "BROKEN",
        "skipped" => "skipped",
        _ => status,
    };

    private static void Write(string text)
    {
        Action<string> write;
        lock (Gate) write = _write;
        write(Secrets.Redact(text));
    }
}

/// <summary>The end-of-run summary with the places this run's results went.</summary>
internal static class RunSummary
{
    public static void Write()
    {
        try
        {
            RunConsole.WriteSummary(Locations());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.Text.Json.JsonException)
        {
            NUnit.Framework.TestContext.Progress.WriteLine($"The run summary could not be written: {e.Message}");
        }
    }

    internal static ResultLocations Locations()
    {
        var allure = AllureRun.ResultsDirectory;
        var isDefault = Path.TrimEndingDirectorySeparator(allure).EndsWith(Path.Combine("bin", "Debug", "net10.0", "allure-results"), StringComparison.Ordinal);
        return new ResultLocations(
            TrxFolder(),
            AllureReporting.ReqnrollReportFiles().Where(File.Exists).ToList(),
            allure,
            (isDefault ? "" : $"ALLURE_RESULTS_DIR=\"{allure}\" ") + "npm run report   (in the repository folder, after `npm ci` once; then `npm run report:open`)");
    }

    /// <summary>
    /// VSTest writes the TRX in the runner process, to the runsettings' ResultsDirectory, which the test host is not told:
    /// its own "Results File:" line, printed right after the summary, names the file.
    /// </summary>
    private static string TrxFolder() =>
        "the \"Results File:\" line below (the runsettings' RunConfiguration/ResultsDirectory; shipped runsettings: TestResults/)";
}
