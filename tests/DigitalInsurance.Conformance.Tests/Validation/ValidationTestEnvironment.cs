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
    private const string SharedPackages = "/work/shared/fhir-packages";
    private static readonly ConcurrentDictionary<string, Lazy<Task<ConformanceValidator>>> Validators = new();

    /// <summary>
    /// DIC_FHIR_PACKAGES (relative values are taken from the repository root, as CI sets them), else the team's shared
    /// folder, else null: the validator then looks in ~/.fhir/packages only.
    /// </summary>
    public static string? PackageFolder
    {
        get
        {
            if (Environment.GetEnvironmentVariable("DIC_FHIR_PACKAGES") is { Length: > 0 } configured)
                return Path.IsPathRooted(configured) ? configured : Path.GetFullPath(Path.Combine(RepositoryRoot, configured));
            return Directory.Exists(SharedPackages) ? SharedPackages : null;
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

    /// <summary>A package archive from the package folder (name-version.tgz), for tests that copy real packages.</summary>
    public static string PackageArchive(string name, string version)
    {
        var folder = PackageFolder ?? throw new InvalidOperationException("Set DIC_FHIR_PACKAGES to the folder with the FHIR package .tgz files.");
        var archive = Path.Combine(folder, $"{name}-{version}.tgz");
        return File.Exists(archive) ? archive : throw new FileNotFoundException($"{archive} is needed by this test; set DIC_FHIR_PACKAGES to the folder holding it.");
    }

    /// <summary>The IG's own example instances (package/example/*.json) of the loaded C4DIC package.</summary>
    public static string ExampleFolder(ConformanceValidator validator) =>
        Path.Combine(validator.LoadedPackages.Single(p => p.Name == "hl7.fhir.us.insurance-card").ContentFolder, "example");

    public static string Example(ConformanceValidator validator, string name) =>
        File.ReadAllText(Path.Combine(ExampleFolder(validator), name + ".json"));
}
