using DigitalInsurance.Conformance.Support.Reporting;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// The scenario <see cref="Check"/> reports to: its evidence (where warnings and "off by policy" notes go), its tags
/// (for tag entries of the policy) and the policy its checks follow (the run's). The scenario's [BeforeScenario] hook
/// (<c>RequirementPolicyHooks</c>) makes it and registers it in the scenario's container, from which Reqnroll injects it.
/// </summary>
public sealed class CheckScope(ScenarioEvidence evidence, IEnumerable<string> tags, RequirementPolicy policy)
{
    private readonly HashSet<string> _notedOff = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ScenarioEvidence Evidence { get; } = evidence ?? throw new ArgumentNullException(nameof(evidence));

    /// <summary>The scenario's tags (feature, rule and scenario), without '@'.</summary>
    public IReadOnlyCollection<string> Tags { get; } = tags.ToList();

    /// <summary>The policy the checks of this scope follow.</summary>
    public RequirementPolicy Policy { get; } = policy ?? throw new ArgumentNullException(nameof(policy));

    public RequirementDecision Decide(Requirement rule) => Policy.Decide(rule, Tags);

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
}
