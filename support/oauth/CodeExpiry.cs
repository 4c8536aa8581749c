using DigitalInsurance.Conformance.Support.Configuration;

namespace DigitalInsurance.Conformance.Support.OAuth;

/// <summary>
/// How long the target's authorization codes live, and how long a client must hold one before it has certainly
/// expired. The wait runs from the redirect that delivered the code, which the server sends after issuing it, so the
/// code is always at least that old when the wait ends.
/// </summary>
public static class CodeExpiry
{
    /// <summary>The embedded sandbox's own default (its Sandbox:CodeLifetimeSeconds) when sandboxCodeLifetimeSeconds is not set.</summary>
    public static readonly TimeSpan SandboxDefaultLifetime = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Sandbox target: the lifetime the running sandbox reports (<paramref name="runningSandbox"/>: its setting, or the one a
    /// variation chose), else the one the harness started it with; external target: the codeLifetimeSeconds setting.
    /// </summary>
    public static TimeSpan LifetimeFor(HarnessSettings settings, TimeSpan? runningSandbox = null) =>
        settings.Target == TargetKind.Sandbox ? runningSandbox ?? settings.Sandbox.CodeLifetime ?? SandboxDefaultLifetime : settings.CodeLifetime;

    /// <summary>Where <see cref="LifetimeFor"/> took its value from, for evidence.</summary>
    public static string SourceOf(HarnessSettings settings, TimeSpan? runningSandbox = null) =>
        settings.Target != TargetKind.Sandbox ? "setting codeLifetimeSeconds"
        : runningSandbox is not null ? "as the running sandbox reports it"
        : settings.Sandbox.CodeLifetime is null ? "the sandbox's default" : "setting sandboxCodeLifetimeSeconds";

    /// <summary>
    /// Extra time beyond the lifetime: 2 s plus 10 %, for servers that store expiry in whole seconds and check it
    /// against a clock that ticks coarsely. A server that still accepts the code after this holds it too long.
    /// </summary>
    public static TimeSpan Margin(TimeSpan lifetime) => TimeSpan.FromSeconds(2) + lifetime / 10;

    /// <summary>How long to wait after the redirect before the code has outlived its lifetime.</summary>
    public static TimeSpan WaitAfterRedirect(TimeSpan lifetime) => lifetime + Margin(lifetime);
}
