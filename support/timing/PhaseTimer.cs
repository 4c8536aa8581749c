using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DigitalInsurance.Conformance.Support.Timing;

/// <summary>What a conformance run spends its time on. All but <see cref="Validation"/> and <see cref="ValidatorWait"/> are waits on the target or the browser.</summary>
public enum Phase
{
    /// <summary>Starting the browser and everything done in it (pages, form input, consent, redirect capture, trace).</summary>
    Browser,
    /// <summary>Waiting for the verification email.</summary>
    Mail,
    /// <summary>Requests to the authorization server's token endpoint.</summary>
    OAuth,
    /// <summary>Every other HTTP request the harness makes (FHIR API, discovery).</summary>
    Http,
    /// <summary>Starting the embedded sandbox (sandbox target only).</summary>
    ServerStart,
    /// <summary>The harness's own work: validating resources against the profiles.</summary>
    Validation,
    /// <summary>The harness's own work: scenarios waiting for the validator to finish loading and warming up.</summary>
    ValidatorWait,
    /// <summary>Holding an authorization code until the server's code lifetime has passed (the expiry scenario).</summary>
    CodeExpiryWait,
    /// <summary>Holding an access token until the lifetime its token response stated has passed (the access-token expiry scenario).</summary>
    AccessTokenExpiryWait,
}

/// <summary>
/// Records, for the current process, when each <see cref="Phase"/> ran (intervals, from any thread) between
/// <see cref="StartRun"/> and <see cref="EndRun"/>, and writes them with per-phase totals to a JSON file at run end (see
/// <see cref="Summarize()"/>). Recording costs a timestamp and a queue entry; tests never assert on the times.
/// </summary>
public static class PhaseTimer
{
    private static readonly ConcurrentQueue<Interval> Intervals = new();
    private static readonly ConcurrentDictionary<string, long> Milestones = new();
    private static readonly ConcurrentDictionary<string, long> Counters = new();
    private static long _runStarted = Stopwatch.GetTimestamp();
    private static long? _runEnded;
    // Off until a run starts: a process that only validates (the bench, a tool) keeps no intervals it never reads.
    private static volatile bool _recording;

    /// <summary>Marks the run's start (what <see cref="Summarize"/> measures from) and forgets earlier intervals.</summary>
    public static void StartRun()
    {
        Intervals.Clear();
        Milestones.Clear();
        Counters.Clear();
        _runEnded = null;
        _runStarted = Stopwatch.GetTimestamp();
        _recording = true;
    }

    public static void EndRun()
    {
        _runEnded = Stopwatch.GetTimestamp();
        _recording = false;
    }

    /// <summary>Times the rest of a <c>using</c> block as <paramref name="phase"/>.</summary>
    public static Measurement Measure(Phase phase) => new(phase, Stopwatch.GetTimestamp());

    public static async Task<T> MeasureAsync<T>(Phase phase, Func<Task<T>> action)
    {
        using var _ = Measure(phase);
        return await action().ConfigureAwait(false);
    }

    public static async Task MeasureAsync(Phase phase, Func<Task> action)
    {
        using var _ = Measure(phase);
        await action().ConfigureAwait(false);
    }

    /// <summary>Notes when something happened first (e.g. "validatorReady"), in seconds from the run's start.</summary>
    /// <summary>Records a count the run ends with (e.g. validations run), for the summary's counters.</summary>
    public static void Count(string name, long value)
    {
        if (_recording) Counters[name] = value;
    }

    public static void Milestone(string name)
    {
        if (_recording) Milestones.TryAdd(name, Stopwatch.GetTimestamp());
    }

    public static void Record(Phase phase, long startTimestamp, long endTimestamp)
    {
        if (_recording) Intervals.Enqueue(new Interval(phase, startTimestamp, endTimestamp));
    }

    public readonly struct Measurement(Phase phase, long started) : IDisposable
    {
        public void Dispose() => Record(phase, started, Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// Totals per phase since <see cref="StartRun"/>: the summed duration of its intervals (which exceeds the wall time
    /// when scenarios run in parallel) and the wall time covered by at least one of them. Waiting is the wall time
    /// covered by any browser, mail, OAuth, HTTP, server-start or expiry-wait interval; harness overhead is the run's wall time
    /// minus waiting.
    /// </summary>
    public static TimingSummary Summarize() => Summarize(_runStarted, _runEnded ?? Stopwatch.GetTimestamp());

    /// <summary>As <see cref="Summarize()"/>, for a run that started and ended at the given <see cref="Stopwatch"/> timestamps.</summary>
    internal static TimingSummary Summarize(long runStarted, long end)
    {
        var intervals = Intervals.ToArray();
        var phases = Enum.GetValues<Phase>().ToDictionary(
            Name,
            phase =>
            {
                var own = intervals.Where(i => i.Phase == phase).ToList();
                return new PhaseTotal(own.Count, Seconds(own.Sum(i => i.End - i.Start)), Seconds(Covered(own)));
            });
        var wall = Seconds(end - runStarted);
        var waiting = Seconds(Covered(intervals.Where(i => IsWaiting(i.Phase))));
        var milestones = Milestones.ToDictionary(m => m.Key, m => Seconds(m.Value - runStarted));
        return new TimingSummary(wall, waiting, Math.Max(0, wall - waiting), phases, milestones)
        {
            Counters = new Dictionary<string, long>(Counters),
        };
    }

    /// <summary>Writes <see cref="Summarize"/> as JSON; a failure to write is reported on stderr, never thrown (timings are not results).</summary>
    public static void WriteSummary(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(Summarize(), SummaryJson));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not write the run's timings to '{path}': {e.Message}");
        }
    }

    /// <summary>The phase's name in the summary: browser, mail, oauth, http, server-start, validation, validator-wait, code-expiry-wait, access-token-expiry-wait.</summary>
    public static string Name(Phase phase) => phase switch
    {
        Phase.OAuth => "oauth",
        _ => JsonNamingPolicy.KebabCaseLower.ConvertName(phase.ToString()),
    };

    // The expiry waits are the server's lifetimes, not harness work: they count as waiting on the target.
    public static bool IsWaiting(Phase phase) =>
        phase is Phase.Browser or Phase.Mail or Phase.OAuth or Phase.Http or Phase.ServerStart or Phase.CodeExpiryWait or Phase.AccessTokenExpiryWait;

    private static readonly JsonSerializerOptions SummaryJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>The length of the union of the intervals.</summary>
    private static long Covered(IEnumerable<Interval> intervals)
    {
        long covered = 0, reachedTo = long.MinValue;
        foreach (var interval in intervals.OrderBy(i => i.Start))
        {
            var from = Math.Max(interval.Start, reachedTo);
            if (interval.End > from) covered += interval.End - from;
            reachedTo = Math.Max(reachedTo, interval.End);
        }
        return covered;
    }

    private static double Seconds(long ticks) => Math.Round((double)ticks / Stopwatch.Frequency, 3);

    private readonly record struct Interval(Phase Phase, long Start, long End);
}

/// <param name="WallSeconds">From <see cref="PhaseTimer.StartRun"/> to <see cref="PhaseTimer.EndRun"/> (or now).</param>
/// <param name="WaitingSeconds">Wall time during which at least one browser, mail, OAuth, HTTP, server-start or expiry-wait interval was open.</param>
/// <param name="HarnessSeconds">Wall time minus waiting: what the harness itself took (set-up, validation, reporting, the test framework).</param>
public sealed record TimingSummary(
    double WallSeconds,
    double WaitingSeconds,
    double HarnessSeconds,
    IReadOnlyDictionary<string, PhaseTotal> Phases,
    IReadOnlyDictionary<string, double> Milestones)
{
    /// <summary>Counts the run ended with: validationsRun (verdicts computed), verdictsMemoized (distinct resource contents).</summary>
    public IReadOnlyDictionary<string, long> Counters { get; init; } = new Dictionary<string, long>();

    [JsonPropertyName("harnessShare")]
    public double HarnessShare => WallSeconds > 0 ? Math.Round(HarnessSeconds / WallSeconds, 3) : 0;
}

/// <param name="Count">How many intervals were recorded.</param>
/// <param name="SumSeconds">Their summed durations (more than the wall time they cover when they overlap).</param>
/// <param name="WallSeconds">The wall time they cover.</param>
public sealed record PhaseTotal(int Count, double SumSeconds, double WallSeconds);
