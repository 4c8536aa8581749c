using System.Formats.Tar;
using System.IO.Compression;

namespace DigitalInsurance.Conformance.Support.Validation.Packages;

/// <summary>A FHIR package as published: a .tgz holding <c>package/package.json</c> and the package's files.</summary>
internal static class FhirPackageArchive
{
    /// <summary>
    /// Unpacks into a private temporary folder and renames it into place, so a concurrent run sees either nothing
    /// or the complete package, never a half-written one. The loser of a race discards its copy.
    /// </summary>
    public static void ExtractAtomically(string archive, string target)
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
                // Another run extracted the same package first (same archive hash, or the registry's verified copy).
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

}
