using DigitalInsurance.Conformance.Support.Reporting;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// The scenario <see cref="Check"/> reports to: its evidence (where warnings and "off by policy" notes go), its tags
/// (for tag entries of the policy) and the policy its checks follow (the run's, which the hook that begins the scope is
/// given; a test's own). Ambient per async flow: a scenario's
/// [BeforeScenario] hook begins it, so support code deep down needs no parameter to reach it.
/// </summary>
public sealed class CheckScope : IDisposable
{
    private static readonly AsyncLocal<CheckScope?> Ambient = new();
    private readonly HashSet<string> _notedOff = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CheckScope? _outer;

    private CheckScope(ScenarioEvidence evidence, IReadOnlyCollection<string> tags, RequirementPolicy policy, CheckScope? outer)
    {
        Evidence = evidence;
        Tags = tags;
        Policy = policy;
        _outer = outer;
    }

    /// <summary>The scope of the code running now, or null outside any scenario.</summary>
    public static CheckScope? Current => Ambient.Value;

    public ScenarioEvidence Evidence { get; }

    /// <summary>The scenario's tags (feature, rule and scenario), without '@'.</summary>
    public IReadOnlyCollection<string> Tags { get; }

    /// <summary>The policy the checks of this scope follow.</summary>
    public RequirementPolicy Policy { get; }

    /// <summary>The policy a check follows in <paramref name="scope"/>; outside any scope (a unit test of support code), the catalogue defaults.</summary>
    public static RequirementPolicy PolicyOf(CheckScope? scope) => scope?.Policy ?? RequirementPolicy.Default;

    /// <summary>Makes a new scope current for this async flow and those it starts; disposing it restores the one before.</summary>
    public static CheckScope Begin(ScenarioEvidence evidence, IEnumerable<string> tags, RequirementPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(policy);
        var scope = new CheckScope(evidence, tags.ToList(), policy, Ambient.Value);
        Ambient.Value = scope;
        return scope;
    }

    internal void RecordWarning(string rule, string message, RequirementDecision decision)
    {
        Evidence.AddText($"Warning [{rule}]", "text/plain", "txt",
            $"Warning {message}{Environment.NewLine}Reported as a warning, not a failure: {decision.Reason}.");
        Evidence.AddWarning(message);
    }

    /// <summary>One note per requirement and scenario, however often its checks run.</summary>
    internal void RecordOff(string rule, RequirementDecision decision)
    {
        lock (_gate)
            if (!_notedOff.Add(rule)) return;
        Evidence.AddText($"Check off by policy [{rule}]", "text/plain", "txt",
            $"Check off by policy: the checks of [{rule}] in this scenario were not judged ({decision.Reason}).");
    }

    public void Dispose()
    {
        if (ReferenceEquals(Ambient.Value, this)) Ambient.Value = _outer;
    }
}
