using System.Security.Cryptography;
using System.Text.Json;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Validation.Packages;

namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>
/// Finds FHIR packages the way FHIR tools do: first the configured folder (extracted <c>name#version/package/</c>,
/// <c>name#version.tgz</c> or <c>name-version.tgz</c>), then the user's package cache
/// <c>~/.fhir/packages/name#version/package/</c>; when neither has it, downloads it from the FHIR package registry into
/// that cache (unless the registry is off).
/// </summary>
/// <remarks>
/// Archives are unpacked into a harness cache keyed by the archive's sha256, never into ~/.fhir/packages: that cache
/// belongs to other FHIR tools and may hold a different build under the same name#version (e.g. HL7's published
/// package), which must not mask the one the run was configured with.
/// </remarks>
internal sealed class FhirPackageLocator
{
    internal const string PackageFolderHint =
        "set the environment variable DIC_FHIR_PACKAGES or the runsettings parameter fhirPackages";

    private readonly string? _configuredFolder;
    private readonly string _fhirCacheFolder;
    private readonly string _extractionRoot;
    private readonly FhirPackageRegistry? _registry;

    /// <param name="configuredFolder">Searched first; null to search the FHIR cache only.</param>
    /// <param name="fhirCacheFolder">The FHIR tools' package cache, normally ~/.fhir/packages.</param>
    /// <param name="extractionRoot">Where archives are unpacked (one folder per archive content).</param>
    /// <param name="registry">Where missing packages are downloaded from into <paramref name="fhirCacheFolder"/>; null or off to never download.</param>
    public FhirPackageLocator(string? configuredFolder, string fhirCacheFolder, string extractionRoot, FhirPackageRegistry? registry = null)
    {
        _configuredFolder = string.IsNullOrWhiteSpace(configuredFolder) ? null : Path.GetFullPath(configuredFolder);
        _fhirCacheFolder = Path.GetFullPath(fhirCacheFolder);
        _extractionRoot = Path.GetFullPath(extractionRoot);
        _registry = registry;
    }

    /// <summary>The current user's FHIR cache and harness cache, the configured folder and registries; progress lines go to the test run's console.</summary>
    public static FhirPackageLocator ForCurrentUser(ValidationSettings settings)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new FhirPackageLocator(settings.PackageFolder, Path.Combine(home, ".fhir", "packages"), Path.Combine(HarnessCache.Root(home), "fhir-packages"),
            new FhirPackageRegistry(settings.PackageRegistries, line => NUnit.Framework.TestContext.Progress.WriteLine(line)));
    }

    public PackageInfo Locate(FhirPackageId id)
    {
        var searched = new List<string>();

        if (_configuredFolder is not null)
        {
            if (!Directory.Exists(_configuredFolder))
                throw new ValidationSetupException(
                    $"The FHIR package folder '{_configuredFolder}' does not exist: {PackageFolderHint} to a folder holding the .tgz packages, or leave it unset to use ~/.fhir/packages.");

            var extracted = Path.Combine(_configuredFolder, id.ToString(), "package");
            searched.Add(extracted + Path.DirectorySeparatorChar);
            if (File.Exists(Path.Combine(extracted, "package.json")))
                return Verified(id, extracted, source: Path.Combine(_configuredFolder, id.ToString()), "its folder name");

            foreach (var archive in new[] { $"{id.Name}#{id.Version}.tgz", $"{id.Name}-{id.Version}.tgz" }.Select(n => Path.Combine(_configuredFolder, n)))
            {
                searched.Add(archive);
                if (File.Exists(archive))
                    return FromArchive(id, archive);
            }
        }

        var installed = Path.Combine(_fhirCacheFolder, id.ToString());
        var cached = Path.Combine(installed, "package");
        searched.Add(cached + Path.DirectorySeparatorChar);
        if (File.Exists(Path.Combine(cached, "package.json")))
            return Verified(id, cached, source: installed, "its folder name");

        if (_registry is null || _registry.IsOff)
            throw NotFound(id, searched, $"the package registry is off ({FhirPackageRegistry.SettingHint}), so nothing was downloaded");
        if (Directory.Exists(installed))
            throw new ValidationSetupException(
                $"The FHIR package cache folder '{installed}' is incomplete (no package/package.json): delete it and run again, and {id} is downloaded anew.");
        try
        {
            _registry.Install(id, _fhirCacheFolder);
        }
        catch (Exception e) when (e is FhirPackageDownloadException or IOException or UnauthorizedAccessException)
        {
            throw NotFound(id, searched, $"downloading it failed: {e.Message}");
        }
        return Verified(id, cached, source: installed, "its folder name");
    }

    /// <summary>What was searched, why nothing was downloaded, and the commands that install the package by hand.</summary>
    private ValidationSetupException NotFound(FhirPackageId id, IEnumerable<string> searched, string download)
    {
        var folder = Path.Combine(_fhirCacheFolder, id.ToString());
        var tarball = _registry?.TarballUrl(id) ?? new Uri(FhirPackageRegistry.Defaults[0], $"{id.Name}/{id.Version}");
        return new ValidationSetupException(
            $"FHIR package {id} was not found (searched: {string.Join(", ", searched)}) and {download}. " +
            $"Install it into the FHIR package cache: `mkdir -p \"{folder}\" && curl -fsSL {tarball} | tar -xz -C \"{folder}\"` " +
            $"(or `fhir install {id.Name} {id.Version}`), or put {id.Name}-{id.Version}.tgz into the package folder ({PackageFolderHint}).");
    }

    private PackageInfo FromArchive(FhirPackageId id, string archive)
    {
        var target = Path.Combine(ExtractionRoot(), $"{id}-{Sha256Prefix(archive)}");
        var content = Path.Combine(target, "package");
        if (!File.Exists(Path.Combine(content, "package.json")))
        {
            if (Directory.Exists(target))
                throw new ValidationSetupException(
                    $"The package cache folder '{target}' is incomplete (no package/package.json): delete it and run again.");
            FhirPackageArchive.ExtractAtomically(archive, target);
        }
        return Verified(id, content, source: archive, "its file name");
    }

    private string ExtractionRoot()
    {
        try
        {
            Directory.CreateDirectory(_extractionRoot);
            return _extractionRoot;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // A read-only home (some CI containers) must not stop the run: the temp folder is always writable.
            var fallback = Path.Combine(Path.GetTempPath(), "dic-conformance-fhir-packages");
            Directory.CreateDirectory(fallback);
            return fallback;
        }
    }

    private static PackageInfo Verified(FhirPackageId id, string contentFolder, string source, string namedBy)
    {
        var manifestPath = Path.Combine(contentFolder, "package.json");
        string? name, version;
        try
        {
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
            name = manifest.RootElement.TryGetProperty("name", out var n) ? n.GetString() : null;
            version = manifest.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ValidationSetupException($"'{manifestPath}' (from {source}) is not valid JSON ({e.Message}). Replace the package with an intact copy.", e);
        }

        if (name != id.Name || version != id.Version)
            throw new ValidationSetupException(
                $"'{source}' holds FHIR package {name ?? "(no name)"}#{version ?? "(no version)"}, not {id} as {namedBy} says. " +
                $"Replace it with {id.Name} version {id.Version}.");

        return new PackageInfo(id.Name, id.Version, source, contentFolder);
    }

    private static string Sha256Prefix(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
    }
}
