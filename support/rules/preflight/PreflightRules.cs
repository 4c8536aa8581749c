using DigitalInsurance.Conformance.Support.Preflight;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>harness-preflight: the setup a run needs is in place before any conformance scenario.</summary>
public sealed class PreflightRules(Check check)
{
    /// <summary>
    /// Throws <see cref="PreflightFailedException"/> listing every problem of <paramref name="report"/>, one line each, when
    /// there is any; with the policy making harness-preflight warn (or off), records them as a warning (or a note) instead.
    /// </summary>
    public void RequireNoProblems(PreflightReport report)
    {
        var problems = report.Problems;
        if (problems.Count == 0) return;
        var rule = Requirements.HarnessPreflight;
        var summary = $"{report.Area}: {problems.Count} problem{(problems.Count == 1 ? "" : "s")}" + Environment.NewLine +
                      string.Join(Environment.NewLine, problems.Select(p => p.Line));
        if (check.Scope.Decide(rule).Level != RequirementLevel.Required)
        {
            check.That(false, rule, summary);
            return;
        }
        throw new PreflightFailedException($"[{rule.Id}] {summary}");
    }
}
