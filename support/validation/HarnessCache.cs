namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>
/// The harness's own cache folder: <c>$XDG_CACHE_HOME/dic-conformance</c> (else <c>~/.cache/dic-conformance</c>; on Windows
/// under LocalApplicationData). Everything in it is derived from inputs it is keyed by (archive hashes), so it is safe to
/// delete at any time: the next run rebuilds what it needs.
/// </summary>
internal static class HarnessCache
{
    public const string FolderName = "dic-conformance";

    public static string Root(string? home = null)
    {
        home ??= Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var cacheHome = OperatingSystem.IsWindows()
            ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".cache");
        return Path.Combine(cacheHome, FolderName);
    }

    /// <summary>
    /// <paramref name="folder"/>, created if needed; when it cannot be created (a read-only home in some CI containers),
    /// a folder of the same name under the temp folder, which is always writable.
    /// </summary>
    public static string Writable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            return folder;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            var fallback = Path.Combine(Path.GetTempPath(), $"{FolderName}-{Path.GetFileName(Path.TrimEndingDirectorySeparator(folder))}");
            Directory.CreateDirectory(fallback);
            return fallback;
        }
    }

    /// <summary>
    /// Builds a cache entry in a private temporary folder next to <paramref name="target"/> and renames it into place, so a
    /// concurrent run sees either nothing or the complete entry, never a half-written one. The loser of a race discards
    /// its copy (both have the same content, as entries are keyed by their inputs' hashes).
    /// </summary>
    /// <param name="isComplete">Whether a folder holds a complete entry (checked after losing a race).</param>
    public static void BuildAtomically(string target, Action<string> build, Func<string, bool> isComplete)
    {
        var root = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(root, $".build-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temporary);
            build(temporary);
            try
            {
                Directory.Move(temporary, target);
            }
            catch (IOException) when (isComplete(target))
            {
                // Another run built the same entry first.
            }
        }
        finally
        {
            if (Directory.Exists(temporary))
                Directory.Delete(temporary, recursive: true);
        }
    }
}
