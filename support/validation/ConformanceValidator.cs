using System.Diagnostics;
using System.Text.Json;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Timing;
using Validator = Firely.Fhir.Validation.Validator;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Hl7.Fhir.Utility;
using Task = System.Threading.Tasks.Task;

namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>
/// Validates FHIR resources against the C4DIC / US Core profiles of the configured IG version with the Firely
/// validator. Create one per run (loading takes a moment, the first validation several seconds) and share it:
/// it is safe to call from several threads.
/// </summary>
public sealed class ConformanceValidator
{
    private const string UnreadableType = "(unreadable)";

    private readonly Validator _validator;
    private readonly CachedResolver _resolver;
    private readonly IndexedArtifactSource _core;
    private readonly IssuePolicy _policy;
    private const string UnknownResourceType = "PVAL130";
    private static readonly FhirJsonDeserializer StrictParser = new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));
    private readonly FhirJsonDeserializer _parser = new(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable));
    // The Firely validator compiles and caches schemas on first use; serialising calls keeps that cache and the
    // resolver's single-threaded; a warm validation takes milliseconds, so nobody waits long.
    private readonly Lock _gate = new();
    private readonly Lock _warmUpGate = new();
    private Task? _warmUp;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<ValidationReport>> _verdicts = new(StringComparer.Ordinal);
    private long _validationsRun;

    private ConformanceValidator(ProfileManifest manifest, IReadOnlyList<PackageInfo> packages, CachedResolver resolver, IndexedArtifactSource core)
    {
        _core = core;
        Manifest = manifest;
        LoadedPackages = packages;
        _resolver = resolver;
        var terminology = LocalTerminologyService.CreateDefaultForCore(resolver, new ValueSetExpanderSettings { ValueSetSource = resolver });
        _validator = new Validator(resolver, terminology);
        _policy = new IssuePolicy(resolver, manifest.Profiles.Values.Concat(manifest.UsCoreProfiles?.Values ?? []).SelectMany(p => p));
    }

    /// <summary>The manifest of the configured C4DIC version: packages and profiles per resource type.</summary>
    public ProfileManifest Manifest { get; }

    /// <summary>The FHIR packages loaded, in resolution order, ending with the FHIR R4 core definitions.</summary>
    public IReadOnlyList<PackageInfo> LoadedPackages { get; }

    /// <summary>
    /// Loads the manifest for <see cref="ValidationSettings.IgVersion"/> from <paramref name="profilesFolder"/>, finds its
    /// packages (<see cref="ValidationSettings.PackageFolder"/>, then ~/.fhir/packages) and checks every profile is there.
    /// </summary>
    /// <exception cref="ValidationSetupException">A package, the manifest or a profile is missing or wrong.</exception>
    public static async Task<ConformanceValidator> CreateAsync(ValidationSettings settings, string profilesFolder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Yield first so that even a missing manifest surfaces through the task, as callers start this in the background.
        await Task.Yield();
        var manifest = ProfileManifest.Load(profilesFolder, settings.IgVersion);
        return await CreateAsync(manifest, FhirPackageLocator.ForCurrentUser(settings), cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<ConformanceValidator> CreateAsync(ProfileManifest manifest, FhirPackageLocator locator, CancellationToken cancellationToken)
    {
        var packages = await Task.Run(() =>
        {
            var found = manifest.Packages.Select(p => locator.Locate(FhirPackageId.Parse(p))).ToList();
            found.Add(CoreSpecification.Locate());
            return found;
        }, cancellationToken).ConfigureAwait(false);

        // The packages carry snapshots, so no SnapshotSource: it would regenerate every snapshot (about 3x slower start).
        // Definitions are indexed up front and parsed when first asked for; R4 core comes from the harness cache, split
        // out of specification.zip on the first run (see CoreDefinitionCache).
        var (packageSources, core) = await Task.Run(() => (
            packages.Take(packages.Count - 1).Select(PackageDefinitionIndex.Open).ToList(),
            CoreDefinitionCache.Open(packages[^1], HarnessCache.Root())), cancellationToken).ConfigureAwait(false);
        // What earlier runs resolved from core is parsed on another thread meanwhile: the first validations then mostly
        // find their definitions ready instead of parsing them one by one on their own path.
        _ = Task.Run(() => core.Prefetch(CoreDefinitionCache.ReadLastRequested(core), cancellationToken), CancellationToken.None);
        var resolver = new CachedResolver(new MultiResolver(packageSources.Append(core).Cast<IResourceResolver>()));

        foreach (var (resourceType, profiles) in manifest.Profiles.Keys.Union(manifest.UsCoreProfiles?.Keys ?? []).Select(t => (t, manifest.ValidatedProfilesFor(t))))
        {
            foreach (var url in profiles)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var definition = await resolver.FindStructureDefinitionAsync(url).ConfigureAwait(false);
                if (definition is null)
                    throw new ValidationSetupException(
                        $"Profile {url} (for {resourceType} in {manifest.SourceFile}) is in none of the loaded packages ({string.Join(", ", packages)}). Fix the manifest or its package list.");
                if (definition.Type != resourceType)
                    throw new ValidationSetupException(
                        $"Profile {url} constrains {definition.Type}, but {manifest.SourceFile} lists it for {resourceType}. Move it to the right resource type.");
                if (definition.Snapshot is not { Element.Count: > 0 })
                    throw new ValidationSetupException(
                        $"Profile {url} in {manifest.SourceFile} has no snapshot in its package; use a package built with snapshots (as published).");
            }
        }

        return new ConformanceValidator(manifest, packages, resolver, core);
    }

    internal IssuePolicy Policy => _policy;

    /// <summary>The profiles the manifest requires for a resource type (besides those the resource declares).</summary>
    public IReadOnlyList<string> ProfilesFor(string resourceType) => Manifest.ProfilesFor(resourceType);

    /// <summary>The US Core profiles validated but judged under their own requirement (canonical URLs without version).</summary>
    public IReadOnlyCollection<string> SeparatelyJudgedProfiles =>
        Manifest.UsCoreProfiles?.Values.SelectMany(p => p).Select(IssuePolicy.WithoutVersion).ToHashSet(StringComparer.Ordinal) ?? [];

    /// <summary>
    /// Parses FHIR JSON leniently (invalid codes and values are kept for the validator to report) and validates it.
    /// JSON that is no FHIR resource at all yields a report with one error. The verdict is memoized: the same JSON (the
    /// same content, so the same declared profiles, against this validator's fixed manifest) is validated once per
    /// validator, i.e. once per run, however many scenarios and members ask about it.
    /// </summary>
    public ValidationReport Validate(string resourceJson)
    {
        ArgumentNullException.ThrowIfNull(resourceJson);
        using var _ = PhaseTimer.Measure(Phase.Validation);
        // Lazy: concurrent askers of the same content wait for the one validation instead of starting their own.
        return _verdicts.GetOrAdd(ContentKey(resourceJson), _ => new Lazy<ValidationReport>(() => Counted(() => ValidateJson(resourceJson)))).Value;
    }

    /// <summary>As <see cref="Validate(string)"/> but always validating afresh (benchmarks of the validation itself).</summary>
    public ValidationReport ValidateWithoutMemo(string resourceJson)
    {
        using var _ = PhaseTimer.Measure(Phase.Validation);
        return Counted(() => ValidateJson(resourceJson));
    }

    /// <summary>How many validations callers have had this validator run (memoized verdicts are not counted again; the warm-up is not counted).</summary>
    public long ValidationsRun => Interlocked.Read(ref _validationsRun);

    /// <summary>How many distinct resource contents have a memoized verdict.</summary>
    public int MemoizedVerdicts => _verdicts.Count;

    private ValidationReport Counted(Func<ValidationReport> validate)
    {
        Interlocked.Increment(ref _validationsRun);
        return validate();
    }

    private static string ContentKey(string json) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json)));

    private ValidationReport ValidateJson(string resourceJson)
    {
        var started = Stopwatch.GetTimestamp();
        Resource? resource;
        IEnumerable<CodedException> parseProblems;
        try
        {
            _parser.TryDeserializeResource(resourceJson, out resource, out parseProblems);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return Unreadable($"Not valid FHIR JSON: {e.Message}", "JSON", started);
        }

        var problems = parseProblems
            .Select(p => new ValidationIssue(
                IssueSeverity.Error,
                (p as ExtendedCodedException)?.InstancePath is { Length: > 0 } at && at != "$this" ? at : resource?.TypeName ?? UnreadableType,
                p.Message,
                Profile: null,
                p.ErrorCode))
            .ToList();

        if (resource is null || !ModelInfo.IsKnownResource(resource.TypeName))
            return new ValidationReport(UnreadableType, resource?.Id, [], NotAResource(resourceJson, problems), Stopwatch.GetElapsedTime(started));

        return ValidateParsed(resource, problems, started);
    }

    /// <summary>Validates a resource against the manifest's profiles for its type and the profiles it declares in meta.profile.</summary>
    public ValidationReport Validate(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        using var _ = PhaseTimer.Measure(Phase.Validation);
        return Counted(() => ValidateParsed(resource, [], Stopwatch.GetTimestamp()));
    }

    /// <summary>
    /// Lists every Must Support element and slice of <paramref name="profileUrl"/> and whether at least one of the
    /// resources (those of the profile's type) populates it. See <see cref="MustSupportAnalyzer"/> for the rules.
    /// </summary>
    /// <param name="payors">References ("Organization/id") of the Organizations the member's Coverages name as payor.</param>
    /// <exception cref="ValidationSetupException">The profile is not in the loaded packages.</exception>
    public MustSupportReport AnalyzeMustSupport(string profileUrl, IReadOnlyList<Resource> resources, IReadOnlySet<string>? payors = null) =>
        new MustSupportAnalyzer(ProfileWithSnapshot(profileUrl)).Analyze(resources, payors);

    /// <summary>A profile of the loaded packages, with its snapshot.</summary>
    /// <exception cref="ValidationSetupException">The profile is not in the loaded packages.</exception>
    internal StructureDefinition ProfileWithSnapshot(string profileUrl)
    {
        StructureDefinition? profile;
        lock (_gate)
            profile = IssuePolicy.Resolve(_resolver, profileUrl) as StructureDefinition;
        if (profile?.Snapshot is not { Element.Count: > 0 })
            throw new ValidationSetupException(
                $"Profile {profileUrl} is not in the loaded packages ({string.Join(", ", LoadedPackages)}) or has no snapshot; use one of the manifest's profiles.");
        return profile;
    }

    /// <summary>As <see cref="AnalyzeMustSupport(string, IReadOnlyList{Resource})"/>, for resources as FHIR JSON (parsed leniently; unreadable ones are skipped).</summary>
    public MustSupportReport AnalyzeMustSupport(string profileUrl, IReadOnlyList<string> resourceJson)
    {
        var resources = new List<Resource>();
        foreach (var json in resourceJson)
        {
            try
            {
                if (_parser.TryDeserializeResource(json, out var resource, out _) || resource is not null)
                    resources.Add(resource!);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // Not a resource: the validation report of the same JSON already says so.
            }
        }
        return AnalyzeMustSupport(profileUrl, resources);
    }

    /// <summary>
    /// The target profiles (<c>type.targetProfile</c>) <paramref name="profileUrl"/> allows for the reference element
    /// <paramref name="elementId"/> (e.g. <c>Coverage.beneficiary</c>), each with the resource type it constrains; empty
    /// when the profile has no such element or names no target profile.
    /// </summary>
    /// <exception cref="ValidationSetupException">The profile, or a target profile it names, is not in the loaded packages.</exception>
    public IReadOnlyList<ReferenceTarget> ReferenceTargets(string profileUrl, string elementId)
    {
        lock (_gate)
        {
            var profile = IssuePolicy.Resolve(_resolver, profileUrl) as StructureDefinition
                ?? throw new ValidationSetupException($"Profile {profileUrl} is not in the loaded packages ({string.Join(", ", LoadedPackages)}).");
            var element = profile.Snapshot?.Element.FirstOrDefault(e => e.ElementId == elementId);
            if (element is null) return [];
            return element.Type.Where(t => t.Code == "Reference")
                .SelectMany(t => t.TargetProfile)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .Select(url => new ReferenceTarget(url, (IssuePolicy.Resolve(_resolver, url) as StructureDefinition)?.Type
                    ?? throw new ValidationSetupException($"Target profile {url} of {elementId} in {profileUrl} is not in the loaded packages.")))
                .ToList();
        }
    }

    /// <summary>
    /// Validates a small instance per resource type of the manifest (the IG's own examples when the package has them),
    /// so schemas are compiled before the first real resource arrives. Start it in the background at run start; calling
    /// it again returns the same task.
    /// </summary>
    public Task WarmUpAsync(CancellationToken cancellationToken = default)
    {
        lock (_warmUpGate)
        {
            return _warmUp ??= Task.Run(() =>
            {
                foreach (var resourceType in Manifest.Profiles.Keys)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    // Not timed as Validation: the warm-up runs in the background, not on a scenario's path.
                    ValidateJson(WarmUpInstance(resourceType));
                }
                CoreDefinitionCache.RememberRequested(_core);
            }, cancellationToken);
        }
    }

    private string WarmUpInstance(string resourceType)
    {
        foreach (var package in LoadedPackages.Take(LoadedPackages.Count - 1))
        {
            var examples = Path.Combine(package.ContentFolder, "example");
            if (!Directory.Exists(examples))
                continue;
            var example = Directory.EnumerateFiles(examples, $"{resourceType}-*.json").Order(StringComparer.Ordinal).FirstOrDefault();
            if (example is not null)
                return File.ReadAllText(example);
        }
        return JsonSerializer.Serialize(new { resourceType, id = "warm-up" });
    }

    private ValidationReport ValidateParsed(Resource resource, List<ValidationIssue> issues, long started)
    {
        var required = Manifest.ValidatedProfilesFor(resource.TypeName);
        IReadOnlyList<string> profilesChecked;
        lock (_gate)
        {
            var outcomes = new List<OperationOutcome>();
            try
            {
                foreach (var profile in ProfilesToRequest(resource, required))
                    outcomes.Add(_validator.Validate(resource, profile));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                issues.Add(new ValidationIssue(IssueSeverity.Error, resource.TypeName,
                    $"The validator could not process this resource ({e.GetType().Name}: {e.Message}).", null, "VALIDATOR"));
            }
            issues.AddRange(Merge(outcomes.SelectMany(o => o.Issue).Select(i => _policy.Translate(i, resource.TypeName, resource))));
            profilesChecked = ProfilesChecked(resource, required);
        }

        return new ValidationReport(resource.TypeName, resource.Id, profilesChecked, issues, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Firely checks the profiles declared in meta.profile on every call besides the one requested, so only the
    /// required profiles the resource does not declare need a call of their own; when it declares them all, one call
    /// covers everything. Duplicate findings across calls are merged afterwards.
    /// </summary>
    private List<string?> ProfilesToRequest(Resource resource, IReadOnlyList<string> required)
    {
        var declared = resource.Meta?.Profile.OfType<string>()
            .Where(p => IssuePolicy.Resolve(_resolver, p) is StructureDefinition)
            .Select(IssuePolicy.WithoutVersion)
            .ToHashSet(StringComparer.Ordinal) ?? [];
        var undeclared = required.Where(p => !declared.Contains(IssuePolicy.WithoutVersion(p))).ToList<string?>();
        if (undeclared.Count > 0)
            return undeclared;
        return required.Count > 0 ? [required[0]] : [null];
    }

    /// <summary>One issue per finding: the same finding against several profiles lists them all.</summary>
    private static IEnumerable<ValidationIssue> Merge(IEnumerable<ValidationIssue> issues) =>
        issues
            .GroupBy(i => (i.Severity, i.Path, i.Message, i.Code))
            .Select(g => g.First() with
            {
                Profile = g.Select(i => i.Profile).OfType<string>().Distinct(StringComparer.Ordinal).ToList() is { Count: > 0 } profiles
                    ? string.Join(", ", profiles)
                    : null,
            });

    private IReadOnlyList<string> ProfilesChecked(Resource resource, IReadOnlyList<string> required)
    {
        var checkedProfiles = required.ToList();
        foreach (var declared in resource.Meta?.Profile.OfType<string>() ?? [])
        {
            if (checkedProfiles.Any(p => IssuePolicy.WithoutVersion(p) == IssuePolicy.WithoutVersion(declared)))
                continue;
            if (IssuePolicy.Resolve(_resolver, declared) is StructureDefinition)
                checkedProfiles.Add(declared);
        }
        return checkedProfiles;
    }

    /// <summary>
    /// Why JSON is no resource (no or unknown resourceType): the lenient parser accepts it silently, the strict one
    /// says why.
    /// </summary>
    private static List<ValidationIssue> NotAResource(string json, List<ValidationIssue> problems)
    {
        if (problems.Count > 0)
            return problems;
        StrictParser.TryDeserializeResource(json, out _, out var strictProblems);
        var structural = strictProblems
            .Where(p => p.ErrorCode.StartsWith("JSON", StringComparison.Ordinal) || p.ErrorCode == UnknownResourceType)
            .Select(p => new ValidationIssue(IssueSeverity.Error, UnreadableType, p.Message, null, p.ErrorCode))
            .ToList();
        return structural.Count > 0
            ? structural
            : [new ValidationIssue(IssueSeverity.Error, UnreadableType, "The JSON is not a FHIR R4 resource.", null, "PARSE")];
    }

    private static ValidationReport Unreadable(string message, string code, long started) =>
        new(UnreadableType, null, [], [new ValidationIssue(IssueSeverity.Error, UnreadableType, message, null, code)], Stopwatch.GetElapsedTime(started));
}
