using DigitalInsurance.Conformance.Support.Redaction;
using DigitalInsurance.Conformance.Support.Runner;

namespace DigitalInsurance.Conformance.Support.Preflight;

/// <summary>One preflight check's outcome: what was checked, what was seen, and — when it failed — how to fix it.</summary>
public sealed record PreflightFinding(string Check, string Observed, string? Fix = null)
{
    public bool Passed => Fix is null;

    public static PreflightFinding Ok(string check, string observed) => new(check, observed);

    public static PreflightFinding Problem(string check, string observed, string fix) => new(check, observed, fix);

    /// <summary>
    /// One line: "ok    DNS …: …" or "FAIL  DNS …: … Fix: …", redacted. An empty <see cref="Fix"/> means the observation
    /// already says how to fix it (messages of the harness's own setup errors do).
    /// </summary>
    public string Line => Secrets.Redact(Passed ? $"ok    {Check}: {Observed}" : $"FAIL  {Check}: {Observed}{(Fix!.Length == 0 ? "" : $" Fix: {Fix}")}");
}

/// <summary>The findings of one preflight area, in the order they were checked.</summary>
public sealed class PreflightReport(string area, IReadOnlyList<PreflightFinding> findings)
{
    public string Area { get; } = area;
    public IReadOnlyList<PreflightFinding> Findings { get; } = findings;
    public IReadOnlyList<PreflightFinding> Problems => Findings.Where(f => !f.Passed).ToList();

    public string ToText() => string.Join(Environment.NewLine, Findings.Select(f => f.Line));
}

/// <summary>The preflight found problems in the setup (not in the payer's conformance): shown as its message alone.</summary>
public sealed class PreflightFailedException(string message) : Exception(message), IUserFacingError;
