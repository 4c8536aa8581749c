using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using OutcomeIssue = Hl7.Fhir.Model.OperationOutcome.IssueComponent;

namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>
/// Turns the Firely validator's OperationOutcome issues into <see cref="ValidationIssue"/>s and applies the verdict
/// policy: what cannot be decided with the definitions available locally is a warning, never an error.
/// </summary>
/// <remarks>
/// Downgraded to warnings:
/// <list type="bullet">
/// <item>terminology service failures (Firely 6006, "Cannot find valueset/codesystem"): the value set draws on a code
/// system not in the loaded packages (e.g. IECColourManagement in ISOColorVS), so membership is unknown;</item>
/// <item>a code whose code system is unknown (6007 "A definition for CodeSystem … could not be found") when the bound
/// value set includes that code system; if the value set does not include it at all, the code cannot be a member
/// and the error stands;</item>
/// <item>profiles declared in meta.profile that are not available locally (4000), as FHIR validators commonly do;
/// the manifest's own profiles are checked at start-up, so for them the error stands.</item>
/// </list>
/// Overruled, kept as information saying why: an extension reported outside its contexts (1028) where a context is a
/// FHIRPath expression that, evaluated on the resource, selects the extension's parent (<see cref="ExtensionContexts"/>).
/// </remarks>
internal sealed partial class IssuePolicy(CachedResolver resolver, IEnumerable<string> manifestProfiles)
{
    private const string TerminologyFailed = "6006";
    private const string CodeNotInValueSet = "6007";
    private const string ProfileNotResolved = "4000";

    private readonly HashSet<string> _manifestProfiles = manifestProfiles.Select(WithoutVersion).ToHashSet(StringComparer.Ordinal);

    public ValidationIssue Translate(OutcomeIssue issue, string fallbackPath, Resource? resource = null)
    {
        var code = issue.Details?.Coding.FirstOrDefault()?.Code;
        var message = issue.Details?.Text ?? issue.Diagnostics ?? "(no message)";
        var path = issue.Expression.FirstOrDefault() ?? issue.Location.FirstOrDefault() ?? fallbackPath;
        var severity = issue.Severity switch
        {
            OperationOutcome.IssueSeverity.Fatal or OperationOutcome.IssueSeverity.Error => IssueSeverity.Error,
            OperationOutcome.IssueSeverity.Warning => IssueSeverity.Warning,
            _ => IssueSeverity.Information,
        };
        var profile = ProfileOf(issue, message);

        if (severity == IssueSeverity.Error && code == ExtensionContexts.OutsideContextCode && resource is not null
            && ExtensionContexts.WhyPlacementIsAllowed(resource, path, message) is { } overruled)
            return new ValidationIssue(IssueSeverity.Information, path, overruled, profile, code);
        if (severity == IssueSeverity.Error)
            (severity, message) = Adjust(code, message);

        return new ValidationIssue(severity, path, message, profile, code);
    }

    private (IssueSeverity, string) Adjust(string? code, string message)
    {
        if (code == TerminologyFailed || CannotFindTerminology().IsMatch(message))
            return (IssueSeverity.Warning, message + " — not decidable with the terminology available locally; reported as a warning.");

        if (code == CodeNotInValueSet && UnknownCodeSystem().Match(message) is { Success: true } unknown
            && ValueSetDrawsOn(unknown.Groups["valueSet"].Value, unknown.Groups["system"].Value, depth: 0))
            return (IssueSeverity.Warning, message + " — the value set includes this code system, which is not available locally; reported as a warning.");

        if (code == ProfileNotResolved && UnresolvedProfile().Match(message) is { Success: true } profile
            && !_manifestProfiles.Contains(WithoutVersion(profile.Groups["url"].Value)))
            return (IssueSeverity.Warning, message + " It is declared in meta.profile but not available locally, so the resource was not checked against it.");

        return (IssueSeverity.Error, message);
    }

    /// <summary>True when the value set (or one it includes) takes codes from the system, or cannot be read at all.</summary>
    private bool ValueSetDrawsOn(string valueSetUrl, string system, int depth)
    {
        if (depth > 8)
            return true;
        if (Resolve(resolver, valueSetUrl) is not ValueSet valueSet)
            return true;
        return valueSet.Compose?.Include.Any(include =>
                   include.System == system ||
                   include.ValueSet.OfType<string>().Any(nested => ValueSetDrawsOn(nested, system, depth + 1))) == true;
    }

    /// <summary>
    /// The profile an issue was found against: the root of Firely's element trace ("Coverage(url).identifier…"),
    /// else the profile named in an unresolved-profile message, else the issue's authority extension.
    /// </summary>
    private static string? ProfileOf(OutcomeIssue issue, string message)
    {
        if (issue.Diagnostics is { } diagnostics && TraceRoot().Match(diagnostics) is { Success: true } trace)
            return trace.Groups["url"].Value;
        if (UnresolvedProfile().Match(message) is { Success: true } unresolved)
            return unresolved.Groups["url"].Value;
        return issue.Extension.FirstOrDefault(e => e.Url == "http://hl7.org/fhir/StructureDefinition/operationoutcome-authority")?.Value?.ToString();
    }

    internal static string WithoutVersion(string canonical) => canonical.Split('|')[0];

    /// <summary>
    /// Synchronous lookup for use inside a validation (which is synchronous, like Firely's own API). The directory and
    /// zip sources complete synchronously, so this does not block on I/O threads.
    /// </summary>
    internal static Resource? Resolve(CachedResolver resolver, string canonical) =>
        resolver.TryResolveByCanonicalUriAsync(canonical).ConfigureAwait(false).GetAwaiter().GetResult().Value;

    [GeneratedRegex(@"^ElementDefinition trace: [A-Za-z]+\((?<url>[^)\s]+)\)")]
    private static partial Regex TraceRoot();

    [GeneratedRegex(@"Unable to resolve reference to profile '(?<url>[^']+)'")]
    private static partial Regex UnresolvedProfile();

    [GeneratedRegex(@"Cannot find (valueset|codesystem|value set|code system)", RegexOptions.IgnoreCase)]
    private static partial Regex CannotFindTerminology();

    [GeneratedRegex(@"from system '(?<system>[^']+)' does not exist in the value set '[^']*' \((?<valueSet>[^)\s]+)\); A definition for CodeSystem '[^']+' could not be found")]
    private static partial Regex UnknownCodeSystem();
}
