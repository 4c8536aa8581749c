using System.Text.Json;

namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>
/// What a C4DIC version means for validation: the FHIR packages to load and the profiles each resource type must
/// meet (besides those it declares in meta.profile). Read from <c>profiles/c4dic-&lt;version&gt;.json</c>.
/// </summary>
/// <param name="Profiles">The C4DIC profiles per type (with the US Core profiles C4DIC's own derive from): C4DIC conformance.</param>
/// <param name="UsCoreProfiles">
/// US Core profiles C4DIC does not require (C4DIC-Patient derives from base Patient, "data-minimized"): validated too,
/// but judged under their own requirement, never under C4DIC's.
/// </param>
public sealed record ProfileManifest(
    string IgVersion,
    string Title,
    IReadOnlyList<string> Packages,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Profiles,
    string SourceFile,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? UsCoreProfiles = null)
{
    private const string FilePrefix = "c4dic-";

    public IReadOnlyList<string> ProfilesFor(string resourceType) =>
        Profiles.TryGetValue(resourceType, out var profiles) ? profiles : [];

    public IReadOnlyList<string> UsCoreProfilesFor(string resourceType) =>
        UsCoreProfiles is not null && UsCoreProfiles.TryGetValue(resourceType, out var profiles) ? profiles : [];

    /// <summary>Every profile a resource of the type is validated against: C4DIC's, then the separately judged US Core ones.</summary>
    public IReadOnlyList<string> ValidatedProfilesFor(string resourceType) =>
        [.. ProfilesFor(resourceType), .. UsCoreProfilesFor(resourceType).Where(p => !ProfilesFor(resourceType).Contains(p))];

    public static ProfileManifest Load(string profilesFolder, string igVersion)
    {
        var folder = Path.GetFullPath(profilesFolder);
        if (!Directory.Exists(folder))
            throw new ValidationSetupException(
                $"The profiles folder '{folder}' does not exist: it is copied to the test output from the repository's profiles/ folder; rebuild, or pass the right folder.");

        var available = Directory.GetFiles(folder, FilePrefix + "*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f)[FilePrefix.Length..])
            .Order(StringComparer.Ordinal)
            .ToList();
        var file = Path.Combine(folder, $"{FilePrefix}{igVersion}.json");
        if (igVersion.IndexOfAny(['/', '\\']) >= 0 || !File.Exists(file))
            throw new ValidationSetupException(
                $"There is no profile manifest for C4DIC version '{igVersion}' in '{folder}'. " +
                $"Set the runsettings parameter igVersion (or DIC_IG_VERSION) to one of: {(available.Count == 0 ? "(none found)" : string.Join(", ", available))}.");

        ManifestFile? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<ManifestFile>(File.ReadAllBytes(file), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ValidationSetupException($"The profile manifest '{file}' is not valid JSON ({e.Message}). Fix the file (see profiles/README.md).", e);
        }

        if (parsed?.IgVersion != igVersion || parsed.Packages is not { Count: > 0 } || parsed.Profiles is null)
            throw new ValidationSetupException(
                $"The profile manifest '{file}' must have \"igVersion\": \"{igVersion}\", a non-empty \"packages\" list and a \"profiles\" object (see profiles/README.md).");
        foreach (var package in parsed.Packages)
        {
            try { FhirPackageId.Parse(package); }
            catch (FormatException e) { throw new ValidationSetupException($"The profile manifest '{file}' lists an invalid package: {e.Message}", e); }
        }

        return new ProfileManifest(
            parsed.IgVersion,
            parsed.Title ?? $"C4DIC {parsed.IgVersion}",
            parsed.Packages,
            parsed.Profiles.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.ToList()),
            file,
            (parsed.UsCoreProfiles ?? []).ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.ToList()));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private sealed record ManifestFile(string? IgVersion, string? Title, List<string>? Packages, Dictionary<string, List<string>>? Profiles, Dictionary<string, List<string>>? UsCoreProfiles);
}
