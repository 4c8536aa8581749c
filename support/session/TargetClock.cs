using DemoHealthPlan.Sandbox.Hosting;

namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>
/// Lets time pass on the target, for scenarios that need a credential to outlive its lifetime. The embedded sandbox's clock
/// is advanced through its in-process start API (never over HTTP), so the scenario takes milliseconds and the lifetime the
/// sandbox enforces stays what it is. An external payer's clock cannot be moved: the harness waits for real and says so on
/// the console first, so a run that goes quiet for minutes is not mistaken for a hang.
/// </summary>
/// <remarks>
/// Advancing the sandbox's clock moves it for every scenario of the run, so at parallelism above 1 it would also age the
/// codes other scenarios hold (between consent and their exchanges). Launches therefore hold the clock still from consent
/// to their end (<see cref="HoldStill"/>), and an advance happens at a moment when no other launch holds it. Holds never
/// wait for an advance: a scenario that holds the clock may need another flow (the other member's) to finish, and that
/// flow must not wait for the advance that waits for the scenario. The advance waits at most
/// <see cref="LongestWaitForHolders"/>; after it (launches overlapping without a gap for that long) the clock moves regardless.
/// </remarks>
public sealed class TargetClock(SandboxClock? sandboxClock)
{
    public static readonly TimeSpan LongestWaitForHolders = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly Lock _gate = new();
    private int _holders;

    /// <summary>True when time passes at once (the embedded sandbox); false when the harness must wait it out.</summary>
    public bool CanAdvance => sandboxClock is not null;

    /// <summary>The target's time: the embedded sandbox's clock (ahead of this machine's once advanced); this machine's for an external payer.</summary>
    public DateTimeOffset Now => sandboxClock?.GetUtcNow() ?? DateTimeOffset.UtcNow;

    /// <summary>Keeps the clock from being advanced until the returned hold is disposed (a no-op for an external payer).</summary>
    public IDisposable HoldStill()
    {
        if (sandboxClock is null) return NoHold.Instance;
        lock (_gate) _holders++;
        return new Hold(this);
    }

    /// <param name="duration">How long must pass on the target's clock.</param>
    /// <param name="what">What is waited for, for the console: "the authorization code to expire".</param>
    /// <param name="callerHolds">Whether the caller itself holds the clock still (its own hold does not block it).</param>
    public async Task LetPassAsync(TimeSpan duration, string what, bool callerHolds, CancellationToken cancellationToken = default)
    {
        if (duration <= TimeSpan.Zero) return;
        if (sandboxClock is null)
        {
            NUnit.Framework.TestContext.Progress.WriteLine($"waiting {Math.Ceiling(duration.TotalSeconds):0} s for {what}");
            await Task.Delay(duration, cancellationToken);
            return;
        }
        var ownHolds = callerHolds ? 1 : 0;
        var deadline = DateTime.UtcNow + LongestWaitForHolders;
        while (true)
        {
            // Checked and advanced under the lock that holds are taken under: no hold can start in between.
            lock (_gate)
            {
                if (_holders <= ownHolds || DateTime.UtcNow >= deadline)
                {
                    sandboxClock.Advance(duration);
                    return;
                }
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private sealed class Hold(TargetClock clock) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1) return;
            lock (clock._gate) clock._holders--;
        }
    }

    private sealed class NoHold : IDisposable
    {
        public static readonly NoHold Instance = new();
        public void Dispose() { }
    }
}
