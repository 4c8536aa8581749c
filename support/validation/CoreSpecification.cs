using System.Reflection;
using Hl7.Fhir.Model;

namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>Locates the FHIR R4 core definitions (specification.zip) that the Firely SDK ships as a NuGet content file.</summary>
internal static class CoreSpecification
{
    public const string PackageName = "hl7.fhir.r4.core";
    public const string FhirVersion = "4.0.1";
    private const string DataPackage = "Hl7.Fhir.Specification.Data.R4";

    public static PackageInfo Locate()
    {
        var nextToAssembly = Path.Combine(AppContext.BaseDirectory, "specification.zip");
        if (File.Exists(nextToAssembly))
            return new PackageInfo(PackageName, FhirVersion, $"{DataPackage} {SdkVersion()} (build output)", nextToAssembly);

        // The metapackage Hl7.Fhir.Specification.R4 does not pass its dependency's content file on to the build
        // output; the restored package in the NuGet cache has the same file.
        var nugetRoot = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var restored = Path.Combine(nugetRoot, DataPackage.ToLowerInvariant(), SdkVersion(), "contentFiles", "any", "any", "specification.zip");
        if (File.Exists(restored))
            return new PackageInfo(PackageName, FhirVersion, $"{DataPackage} {SdkVersion()} (NuGet cache)", restored);

        throw new ValidationSetupException(
            $"The FHIR R4 core definitions (specification.zip) were found neither in '{nextToAssembly}' nor in '{restored}'. " +
            $"Reference the NuGet package {DataPackage} {SdkVersion()} directly in the test project so the build copies specification.zip, and rebuild.");
    }

    private static string SdkVersion()
    {
        var informational = typeof(ModelInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? typeof(ModelInfo).Assembly.GetName().Version!.ToString(3);
    }
}
