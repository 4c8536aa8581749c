using System.Diagnostics;
using System.Text.Json;
using DigitalInsurance.Conformance.Support.Timing;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Timing;

/// <summary>The totals are computed from recorded intervals (timestamps made up here), never from how long the test took.</summary>
[NonParallelizable]
public class PhaseTimerTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Test]
    public void Sums_intervals_per_phase_and_counts_overlapping_waits_once()
    {
        PhaseTimer.StartRun();
        var t0 = Stopwatch.GetTimestamp() - 100 * Second;
        PhaseTimer.Record(Phase.Browser, t0, t0 + 4 * Second);
        PhaseTimer.Record(Phase.Browser, t0 + 2 * Second, t0 + 6 * Second); // a second member's browser, in parallel
        PhaseTimer.Record(Phase.Mail, t0 + 5 * Second, t0 + 7 * Second);
        PhaseTimer.Record(Phase.Http, t0 + 10 * Second, t0 + 11 * Second);
        PhaseTimer.Record(Phase.Validation, t0 + 11 * Second, t0 + 13 * Second);

        var summary = PhaseTimer.Summarize(t0, t0 + 20 * Second);

        Assert.Multiple(() =>
        {
            Assert.That(summary.Phases["browser"], Is.EqualTo(new PhaseTotal(2, 8, 6)));
            Assert.That(summary.Phases["mail"], Is.EqualTo(new PhaseTotal(1, 2, 2)));
            Assert.That(summary.Phases["validation"], Is.EqualTo(new PhaseTotal(1, 2, 2)));
            Assert.That(summary.Phases["oauth"].Count, Is.Zero);
            Assert.That(summary.WaitingSeconds, Is.EqualTo(8), "browser 0–6 and mail 5–7 cover 7 s, HTTP 1 s; validation is the harness's own work");
            Assert.That(summary.WallSeconds, Is.EqualTo(20));
            Assert.That(summary.HarnessSeconds, Is.EqualTo(12));
            Assert.That(summary.HarnessShare, Is.EqualTo(0.6));
        });
    }

    [Test]
    public void Writes_the_summary_as_json_with_milestones()
    {
        PhaseTimer.StartRun();
        PhaseTimer.Milestone("validatorReady");
        using (PhaseTimer.Measure(Phase.OAuth)) { }
        PhaseTimer.EndRun();
        var path = Path.Combine(Path.GetTempPath(), $"dic-timings-{Guid.NewGuid():N}.json");
        try
        {
            PhaseTimer.WriteSummary(path);
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            Assert.That(root.GetProperty("phases").GetProperty("oauth").GetProperty("count").GetInt32(), Is.EqualTo(1));
            Assert.That(root.GetProperty("milestones").TryGetProperty("validatorReady", out _));
            Assert.That(root.TryGetProperty("harnessShare", out _));
            Assert.That(root.GetProperty("wallSeconds").GetDouble(), Is.GreaterThanOrEqualTo(0));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Nothing_is_recorded_outside_a_run()
    {
        PhaseTimer.StartRun();
        PhaseTimer.EndRun();
        using (PhaseTimer.Measure(Phase.Http)) { }
        Assert.That(PhaseTimer.Summarize().Phases["http"].Count, Is.Zero);
    }

    [Test]
    public void A_summary_that_cannot_be_written_is_reported_not_thrown()
    {
        var blocked = Path.Combine(Path.GetTempPath(), $"dic-timings-{Guid.NewGuid():N}");
        File.WriteAllText(blocked, "a file where a folder should be");
        try
        {
            Assert.DoesNotThrow(() => PhaseTimer.WriteSummary(Path.Combine(blocked, "timings.json")));
        }
        finally
        {
            File.Delete(blocked);
        }
    }
}
