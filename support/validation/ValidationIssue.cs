namespace DigitalInsurance.Conformance.Support.Validation;

public enum IssueSeverity { Error, Warning, Information }

/// <summary>One finding of the validator about one element of a resource.</summary>
/// <param name="Path">FHIRPath-like location, e.g. <c>Coverage.identifier[0].type</c>.</param>
/// <param name="Profile">Canonical URL(s) of the profile(s) the finding was made against, comma-separated; null when not tied to one.</param>
/// <param name="Code">The validator's issue code (e.g. Firely's <c>1028</c>) or a parser code such as <c>JSON103</c>.</param>
public sealed record ValidationIssue(IssueSeverity Severity, string Path, string Message, string? Profile, string? Code)
{
    public override string ToString() =>
        $"{Severity.ToString().ToLowerInvariant()} {Path}: {Message}{(Profile is null ? "" : $" [{Profile}]")}{(Code is null ? "" : $" ({Code})")}";
}
