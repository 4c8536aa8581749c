using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Validation;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

/// <summary>Configuration mistakes stop the validator at start-up with one line naming what is wrong.</summary>
public class ConformanceValidatorSetupTests
{
    private string _root = null!;

    [SetUp]
    public void CreateFolder() => _root = Directory.CreateTempSubdirectory("dic-validator-setup-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_root, recursive: true);

    private FhirPackageLocator Locator(string? packageFolder) =>
        new(packageFolder, Path.Combine(_root, "home", ".fhir", "packages"), Path.Combine(_root, "extracted"));

    /// <summary>Where this machine keeps the real packages: the configured folder, else the user's FHIR cache.</summary>
    private FhirPackageLocator RealPackages() =>
        new(ValidationTestEnvironment.PackageFolder, ValidationTestEnvironment.UserFhirCache, Path.Combine(_root, "extracted"));

    private ProfileManifest Manifest(string profilesJson)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "profiles")).FullName;
        File.WriteAllText(Path.Combine(folder, "c4dic-1.0.0.json"), $$"""
            {"igVersion":"1.0.0","packages":["hl7.fhir.us.insurance-card#1.0.0","hl7.fhir.us.core#4.0.0"],"profiles":{{profilesJson}}}
            """);
        return ProfileManifest.Load(folder, "1.0.0");
    }

    [Test]
    public void A_missing_package_fails_creation_naming_the_package()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root, "packages")).FullName;
        var manifest = ProfileManifest.Load(ValidationTestEnvironment.ProfilesFolder, "1.0.0");

        var error = Assert.ThrowsAsync<ValidationSetupException>(() => ConformanceValidator.CreateAsync(manifest, Locator(empty), CancellationToken.None))!;

        Assert.That(error.Message, Does.StartWith("FHIR package hl7.fhir.us.insurance-card#1.0.0 was not found").And.Contain(empty));
    }

    [Test]
    public void An_unknown_ig_version_fails_through_the_returned_task()
    {
        var creation = ConformanceValidator.CreateAsync(new ValidationSettings { IgVersion = "9.9.9" }, ValidationTestEnvironment.ProfilesFolder);

        var error = Assert.ThrowsAsync<ValidationSetupException>(() => creation)!;

        Assert.That(error.Message, Does.Contain("'9.9.9'"));
    }

    [Test]
    public void A_manifest_profile_missing_from_the_packages_fails_creation_naming_it()
    {
        var manifest = Manifest("""{"Patient":["http://example.org/StructureDefinition/not-there"]}""");

        var error = Assert.ThrowsAsync<ValidationSetupException>(() =>
            ConformanceValidator.CreateAsync(manifest, RealPackages(), CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain("http://example.org/StructureDefinition/not-there").And.Contain("none of the loaded packages"));
    }

    [Test]
    public void A_manifest_profile_listed_for_the_wrong_resource_type_fails_creation()
    {
        var manifest = Manifest("""{"Coverage":["http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Patient"]}""");

        var error = Assert.ThrowsAsync<ValidationSetupException>(() =>
            ConformanceValidator.CreateAsync(manifest, RealPackages(), CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain("constrains Patient").And.Contain("for Coverage"));
    }
}
