namespace DigitalInsurance.Conformance.Support.Validation;

public enum IssueSeverity { Error, Warning, Information }

/// <summary>One finding of the validator about one element of a resource.</summary>
/// <param name="Path">FHIRPath-like location, e.g. <c>Coverage.identifier[0].type</c>.</param>
/// <param name="Profile">Canonical URL(s) of the profile(s) the finding was made against, comma-separated; null when not tied to one.</param>
/// <param name="Code">The validator's issue code (e.g. Firely's <c>1028</c>) or a parser code such as <c>JSON103</c>.</param>
public sealed record ValidationIssue(IssueSeverity Severity, string Path, string Message, string? Profile, string? Code)
{
    /// <summary>The profiles the finding was made against, one canonical URL each.</summary>
    public IReadOnlyList<string> Profiles => Profile is null ? [] : Profile.Split(", ", StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Each line names the IG whose rule broke ("C4DIC", "US Core", "FHIR R4") before the profile.</summary>
    public override string ToString() =>
        $"{Severity.ToString().ToLowerInvariant()} {Path}: {Message}" +
        (Profile is null ? "" : $" [{string.Join(", ", Profiles.Select(p => $"{IgOf(p)} {p}"))}]") +
        (Code is null ? "" : $" ({Code})");

    /// <summary>The implementation guide a profile belongs to, from its canonical URL.</summary>
    public static string IgOf(string profile) => profile switch
    {
        _ when profile.StartsWith("http://hl7.org/fhir/us/insurance-card/", StringComparison.Ordinal) => "C4DIC",
        _ when profile.StartsWith("http://hl7.org/fhir/us/core/", StringComparison.Ordinal) => "US Core",
        _ when profile.StartsWith("http://hl7.org/fhir/StructureDefinition/", StringComparison.Ordinal) => "FHIR R4",
        _ => "profile",
    };
}
