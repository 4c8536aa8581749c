namespace DemoHealthPlan.Sandbox.Hosting;

/// <summary>
/// The sandbox's time: the system clock plus an offset its in-process host can move forward, so a host can let codes,
/// tokens and verification codes outlive their lifetimes without waiting. Every lifetime the sandbox enforces (OpenIddict's
/// codes and tokens, the member session cookie, verification codes) is measured against this clock; the lifetimes
/// themselves do not change. Only the host that started the sandbox holds it (<see cref="SandboxServer.Clock"/>): there is
/// no HTTP endpoint that moves it.
/// </summary>
public sealed class SandboxClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far the sandbox's time is ahead of the system clock.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Moves the sandbox's time forward by <paramref name="by"/>; time never runs backwards.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is negative.</exception>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
