using System.Collections.Concurrent;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Validation;

namespace DigitalInsurance.Conformance.Tests.Validation;

/// <summary>
/// Where the validation tests find FHIR packages and profiles, and one shared validator per IG version (the first
/// validation takes seconds, so fixtures share it).
/// </summary>
internal static class ValidationTestEnvironment
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<ConformanceValidator>>> Validators = new();

    /// <summary>
    /// DIC_FHIR_PACKAGES (relative values are taken from the repository root), else the team's shared folder beside the
    /// clone (../shared/fhir-packages, as .ci/run finds it), else null: the validator then looks in ~/.fhir/packages only.
    /// </summary>
    public static string? PackageFolder
    {
        get
        {
            if (Environment.GetEnvironmentVariable("DIC_FHIR_PACKAGES") is { Length: > 0 } configured)
                return Path.IsPathRooted(configured) ? configured : Path.GetFullPath(Path.Combine(RepositoryRoot, configured));
            var shared = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fhir-packages"));
            return Directory.Exists(shared) ? shared : null;
        }
    }

    public static ValidationSettings Settings(string igVersion = "1.0.0") => new() { PackageFolder = PackageFolder, IgVersion = igVersion };

    /// <summary>The profiles/ folder copied to the test output, or the repository's own.</summary>
    public static string ProfilesFolder
    {
        get
        {
            var copied = Path.Combine(AppContext.BaseDirectory, "profiles");
            return Directory.Exists(copied) ? copied : Path.Combine(RepositoryRoot, "profiles");
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "DigitalInsurance.Conformance.csproj")))
                    return folder.FullName;
            }
            throw new InvalidOperationException($"No DigitalInsurance.Conformance.csproj above {AppContext.BaseDirectory}.");
        }
    }

    public static Task<ConformanceValidator> SharedValidator(string igVersion = "1.0.0") =>
        Validators.GetOrAdd(igVersion, v => new Lazy<Task<ConformanceValidator>>(
            () => ConformanceValidator.CreateAsync(Settings(v), ProfilesFolder))).Value;

    /// <summary>The FHIR tools' package cache of the user running the tests.</summary>
    public static string UserFhirCache =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fhir", "packages");

    /// <summary>
    /// A package archive (name-version.tgz) for tests that copy real packages: from the package folder, or packed from
    /// the extracted package in the user's FHIR cache when that is where the packages are.
    /// </summary>
    public static string PackageArchive(string name, string version)
    {
        if (PackageFolder is { } folder && Path.Combine(folder, $"{name}-{version}.tgz") is var archive && File.Exists(archive))
            return archive;
        var cached = Path.Combine(UserFhirCache, $"{name}#{version}");
        if (Directory.Exists(Path.Combine(cached, "package")))
            return PackedArchives.GetOrAdd($"{name}#{version}", _ => Pack(cached, $"{name}-{version}.tgz"));
        throw new FileNotFoundException(
            $"{name}#{version} is needed by this test as a .tgz: put {name}-{version}.tgz in the folder DIC_FHIR_PACKAGES names, or the package in {cached}.");
    }

    private static readonly ConcurrentDictionary<string, string> PackedArchives = new();

    private static string Pack(string extractedPackage, string fileName)
    {
        var archive = Path.Combine(Directory.CreateTempSubdirectory("dic-packed-package-").FullName, fileName);
        using (var file = File.Create(archive))
        using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        {
            // The archive holds package/…, as the registry's tarballs do; the cache folder's other files stay out.
            System.Formats.Tar.TarFile.CreateFromDirectory(Path.Combine(extractedPackage, "package"), gzip, includeBaseDirectory: true);
        }
        return archive;
    }

    /// <summary>The IG's own example instances (package/example/*.json) of the loaded C4DIC package.</summary>
    public static string ExampleFolder(ConformanceValidator validator) =>
        Path.Combine(validator.LoadedPackages.Single(p => p.Name == "hl7.fhir.us.insurance-card").ContentFolder, "example");

    public static string Example(ConformanceValidator validator, string name) =>
        File.ReadAllText(Path.Combine(ExampleFolder(validator), name + ".json"));
}
