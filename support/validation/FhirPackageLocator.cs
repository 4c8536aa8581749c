using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>
/// Finds FHIR packages the way FHIR tools do: first the configured folder (extracted <c>name#version/package/</c>,
/// <c>name#version.tgz</c> or <c>name-version.tgz</c>), then the user's package cache
/// <c>~/.fhir/packages/name#version/package/</c>.
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

    /// <param name="configuredFolder">Searched first; null to search the FHIR cache only.</param>
    /// <param name="fhirCacheFolder">The FHIR tools' package cache, normally ~/.fhir/packages.</param>
    /// <param name="extractionRoot">Where archives are unpacked (one folder per archive content).</param>
    public FhirPackageLocator(string? configuredFolder, string fhirCacheFolder, string extractionRoot)
    {
        _configuredFolder = string.IsNullOrWhiteSpace(configuredFolder) ? null : Path.GetFullPath(configuredFolder);
        _fhirCacheFolder = Path.GetFullPath(fhirCacheFolder);
        _extractionRoot = Path.GetFullPath(extractionRoot);
    }

    public static FhirPackageLocator ForCurrentUser(string? configuredFolder)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new FhirPackageLocator(configuredFolder, Path.Combine(home, ".fhir", "packages"), Path.Combine(HarnessCache.Root(home), "fhir-packages"));
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

        var cached = Path.Combine(_fhirCacheFolder, id.ToString(), "package");
        searched.Add(cached + Path.DirectorySeparatorChar);
        if (File.Exists(Path.Combine(cached, "package.json")))
            return Verified(id, cached, source: Path.Combine(_fhirCacheFolder, id.ToString()), "its folder name");

        throw new ValidationSetupException(
            $"FHIR package {id} was not found (searched: {string.Join(", ", searched)}). " +
            $"Put {id.Name}-{id.Version}.tgz into the package folder ({PackageFolderHint}), " +
            $"or install it into the FHIR package cache {_fhirCacheFolder} (e.g. `fhir install {id.Name} {id.Version}`).");
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
            ExtractAtomically(archive, target);
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

    /// <summary>
    /// Unpacks into a private temporary folder and renames it into place, so a concurrent run sees either nothing
    /// or the complete package, never a half-written one. The loser of a race discards its copy.
    /// </summary>
    private static void ExtractAtomically(string archive, string target)
    {
        var root = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(root, $".extract-{Guid.NewGuid():N}");
        try
        {
            ExtractTgz(archive, temporary);
            if (!File.Exists(Path.Combine(temporary, "package", "package.json")))
                throw new ValidationSetupException(
                    $"'{archive}' is not a FHIR package: it has no package/package.json. Replace it with the package's .tgz as published (npm layout).");
            try
            {
                Directory.Move(temporary, target);
            }
            catch (IOException) when (File.Exists(Path.Combine(target, "package", "package.json")))
            {
                // Another run extracted the same archive first; its copy has the same content (same sha256).
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new ValidationSetupException($"'{archive}' is not a readable .tgz FHIR package ({e.Message}). Replace it with an intact copy.", e);
        }
        finally
        {
            if (Directory.Exists(temporary))
                Directory.Delete(temporary, recursive: true);
        }
    }

    private static void ExtractTgz(string archive, string destination)
    {
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(root);
        using var file = File.OpenRead(archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            // Only plain files and folders: links and device entries have no place in a FHIR package.
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.Directory))
                continue;
            var path = Path.GetFullPath(Path.Combine(root, entry.Name));
            if (!path.StartsWith(root, StringComparison.Ordinal) && path + Path.DirectorySeparatorChar != root)
                throw new ValidationSetupException($"'{archive}' holds an entry outside its folder ('{entry.Name}'); refusing to extract it.");
            if (entry.EntryType == TarEntryType.Directory)
            {
                Directory.CreateDirectory(path);
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            entry.ExtractToFile(path, overwrite: true);
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
