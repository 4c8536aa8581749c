using System.Text.RegularExpressions;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>How a requirement's checks count: failing the scenario, reported as a warning, or not judged at all.</summary>
public enum RequirementLevel { Required, Warn, Off }

/// <summary>The level a check runs at and why (the policy entry or catalogue default that decided it).</summary>
public readonly record struct RequirementDecision(RequirementLevel Level, string Reason);

/// <summary>
/// Maps requirement ids and scenario tags to <see cref="RequirementLevel"/>s: the <c>policy</c> setting (environment
/// variable DIC_POLICY), e.g. <c>c4dic-must-support=warn;@severity:minor=off</c>, on top of the catalogue's defaults (<see cref="Requirements"/>).
/// </summary>
/// <remarks>
/// A check's level, most specific first: an entry naming its requirement id; entries naming a tag of the scenario
/// (feature, rule or scenario tag; the strictest of them when several match); the catalogue's default
/// (<see cref="Requirement.DefaultPolicy"/>: SHOULD-level requirements warn); otherwise required. Immutable, so one instance is shared by every thread.
/// </remarks>
public sealed partial class RequirementPolicy
{
    public const string SettingName = "policy";
    private const string Syntax =
        "a list of entries <requirement-id or @tag>=required|warn|off separated by ';' (e.g. c4dic-must-support=warn;@severity:minor=off)";

    private readonly IReadOnlyDictionary<string, RequirementLevel> _byId;
    private readonly IReadOnlyList<(string Tag, RequirementLevel Level)> _byTag;

    private RequirementPolicy(IReadOnlyDictionary<string, RequirementLevel> byId, IReadOnlyList<(string, RequirementLevel)> byTag)
    {
        _byId = byId;
        _byTag = byTag;
    }

    /// <summary>The catalogue defaults alone (no policy setting).</summary>
    public static RequirementPolicy Default { get; } = new(new Dictionary<string, RequirementLevel>(), []);

    public bool IsDefault => _byId.Count == 0 && _byTag.Count == 0;

    /// <summary>Parses the setting's value; null or blank is <see cref="Default"/>.</summary>
    /// <exception cref="FormatException">An entry is malformed; the message quotes it and shows the syntax.</exception>
    public static RequirementPolicy Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Default;
        var byId = new Dictionary<string, RequirementLevel>(StringComparer.Ordinal);
        var byTag = new List<(string Tag, RequirementLevel Level)>();
        foreach (var entry in text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
                throw new FormatException($"{Syntax}; the entry '{entry}' is not <requirement-id or @tag>=<level>");
            var level = parts[1].ToLowerInvariant() switch
            {
                "required" => RequirementLevel.Required,
                "warn" => RequirementLevel.Warn,
                "off" => RequirementLevel.Off,
                _ => throw new FormatException($"{Syntax}; the entry '{entry}' has the level '{parts[1]}', which is none of required, warn, off"),
            };

            var key = parts[0];
            var tag = key.StartsWith('@') ? key[1..] : null;
            var id = tag is null ? RequirementIdOf(key) ?? key : RequirementIdOf(tag);
            if (id is not null)
            {
                if (!RequirementIdPattern().IsMatch(id))
                    throw new FormatException(
                        $"{Syntax}; the entry '{entry}' names '{id}', which is neither a requirement id (kebab-case: smart-…, fhir-…, c4dic-…, us-core-…, harness-…) nor a tag written with @");
                AddOnce(byId, id, level, entry);
            }
            else if (tag!.Length > 0 && !tag.Any(char.IsWhiteSpace))
            {
                if (byTag.Any(t => string.Equals(t.Tag, tag, StringComparison.OrdinalIgnoreCase) && t.Level != level))
                    throw new FormatException($"{Syntax}; the tag @{tag} is given two different levels");
                byTag.Add((tag, level));
            }
            else
            {
                throw new FormatException($"{Syntax}; the entry '{entry}' has no tag name after '@'");
            }
        }
        return new RequirementPolicy(byId, byTag.DistinctBy(t => t.Tag.ToLowerInvariant()).ToList());
    }

    /// <summary>The level of a check of <paramref name="rule"/> in a scenario carrying <paramref name="scenarioTags"/> (without '@').</summary>
    public RequirementDecision Decide(Requirement rule, IReadOnlyCollection<string> scenarioTags) => Decide(rule.Id, scenarioTags);

    /// <summary>
    /// The level of the requirement with this id (as a <c>@req:</c> tag names it); an id the catalogue lacks has no
    /// default of its own and counts as required.
    /// </summary>
    public RequirementDecision Decide(string requirementId, IReadOnlyCollection<string> scenarioTags)
    {
        if (_byId.TryGetValue(requirementId, out var level))
            return new RequirementDecision(level, $"policy entry {requirementId}={Name(level)}");
        var byTag = _byTag
            .Where(t => scenarioTags.Contains(t.Tag, StringComparer.OrdinalIgnoreCase))
            .OrderBy(t => t.Level) // Required < Warn < Off: the strictest first
            .Select(t => (Tag: t.Tag, Level: (RequirementLevel?)t.Level))
            .FirstOrDefault();
        if (byTag.Level is { } tagLevel)
            return new RequirementDecision(tagLevel, $"policy entry @{byTag.Tag}={Name(tagLevel)}");
        if (Requirements.Find(requirementId) is { DefaultPolicy: not RequirementLevel.Required } entry)
            return new RequirementDecision(entry.DefaultPolicy, entry.DefaultPolicyReason);
        return new RequirementDecision(RequirementLevel.Required, "required");
    }

    /// <summary>
    /// Why a scenario is not worth running: every requirement it verifies (its <c>@req:</c> tags) is off. Null when at
    /// least one is judged, or when it names no requirement.
    /// </summary>
    public string? SkipReason(IReadOnlyCollection<string> scenarioTags)
    {
        var requirements = scenarioTags.Select(RequirementIdOf).OfType<string>().Distinct().ToList();
        if (requirements.Count == 0) return null;
        var decisions = requirements.Select(id => (id, Decision: Decide(id, scenarioTags))).ToList();
        if (decisions.Any(d => d.Decision.Level != RequirementLevel.Off)) return null;
        return "Every requirement this scenario verifies is off by policy (setting 'policy' / DIC_POLICY): " +
               string.Join(", ", decisions.Select(d => $"{d.id} ({d.Decision.Reason})")) + ".";
    }

    /// <summary>The entries of the setting followed by the catalogue defaults they leave in force, for the run's banner and reports.</summary>
    public string Describe()
    {
        var entries = _byId.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={Name(e.Value)}")
            .Concat(_byTag.Select(t => $"@{t.Tag}={Name(t.Level)}"))
            .ToList();
        var defaults = Requirements.All.Where(r => r.DefaultPolicy != RequirementLevel.Required && !_byId.ContainsKey(r.Id))
            .Select(r => $"{r.Id}={Name(r.DefaultPolicy)} ({r.DefaultPolicyReason})").ToList();
        return (entries.Count == 0 ? "every requirement required" : string.Join(";", entries))
               + (defaults.Count == 0 ? "" : "; catalogue defaults: " + string.Join("; ", defaults));
    }

    public override string ToString() => Describe();

    public static string Name(RequirementLevel level) => level.ToString().ToLowerInvariant();

    /// <summary>The requirement a "req:&lt;id&gt;" tag names; null for any other tag.</summary>
    private static string? RequirementIdOf(string tag) =>
        tag.StartsWith("req:", StringComparison.Ordinal) ? tag["req:".Length..] : null;

    private static void AddOnce(Dictionary<string, RequirementLevel> byId, string id, RequirementLevel level, string entry)
    {
        if (byId.TryGetValue(id, out var earlier) && earlier != level)
            throw new FormatException($"{Syntax}; the requirement {id} is given two different levels ({Name(earlier)} and '{entry}')");
        byId[id] = level;
    }

    [GeneratedRegex("^(smart|fhir|c4dic|us-core|harness)-[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex RequirementIdPattern();
}
