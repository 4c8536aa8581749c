using DigitalInsurance.Conformance.Support.Validation;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

public class ProfileManifestTests
{
    private const string C4dic = "http://hl7.org/fhir/us/insurance-card/StructureDefinition/";
    private const string UsCore = "http://hl7.org/fhir/us/core/StructureDefinition/";

    [TestCase("1.0.0", "hl7.fhir.us.insurance-card#1.0.0", "hl7.fhir.us.core#4.0.0")]
    [TestCase("1.1.0", "hl7.fhir.us.insurance-card#1.1.0", "hl7.fhir.us.core#3.1.1")]
    public void Each_ig_version_selects_its_packages_and_profiles(string igVersion, string c4dicPackage, string usCorePackage)
    {
        var manifest = ProfileManifest.Load(ValidationTestEnvironment.ProfilesFolder, igVersion);

        Assert.Multiple(() =>
        {
            Assert.That(manifest.IgVersion, Is.EqualTo(igVersion));
            Assert.That(manifest.Packages, Is.EqualTo(new[] { c4dicPackage, usCorePackage }));
            Assert.That(manifest.ProfilesFor("Patient"), Is.EqualTo(new[] { C4dic + "C4DIC-Patient" }), "C4DIC-Patient derives from base Patient");
            Assert.That(manifest.UsCoreProfilesFor("Patient"), Is.EqualTo(new[] { UsCore + "us-core-patient" }), "judged separately");
            Assert.That(manifest.ValidatedProfilesFor("Patient"), Is.EqualTo(new[] { C4dic + "C4DIC-Patient", UsCore + "us-core-patient" }));
            Assert.That(manifest.ProfilesFor("Coverage"), Is.EqualTo(new[] { C4dic + "C4DIC-Coverage" }));
            Assert.That(manifest.ProfilesFor("Organization"), Is.EqualTo(new[] { C4dic + "C4DIC-Organization", UsCore + "us-core-organization" }));
            Assert.That(manifest.ProfilesFor("Observation"), Is.Empty);
        });
    }

    [Test]
    public void An_unknown_ig_version_lists_the_versions_there_are()
    {
        var error = Assert.Throws<ValidationSetupException>(() => ProfileManifest.Load(ValidationTestEnvironment.ProfilesFolder, "2.0.0"))!;

        Assert.That(error.Message, Does.Contain("'2.0.0'").And.Contain("1.0.0, 1.1.0").And.Contain("igVersion"));
    }

    [Test]
    public void A_manifest_whose_version_does_not_match_its_file_name_is_rejected()
    {
        var folder = Directory.CreateTempSubdirectory("dic-manifest-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "c4dic-3.0.0.json"),
                """{"igVersion":"1.0.0","packages":["a#1"],"profiles":{}}""");

            var error = Assert.Throws<ValidationSetupException>(() => ProfileManifest.Load(folder, "3.0.0"))!;

            Assert.That(error.Message, Does.Contain("\"igVersion\": \"3.0.0\""));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void A_manifest_that_is_not_json_is_an_error_naming_the_file()
    {
        var folder = Directory.CreateTempSubdirectory("dic-manifest-").FullName;
        try
        {
            var file = Path.Combine(folder, "c4dic-1.0.0.json");
            File.WriteAllText(file, "{ not json");

            var error = Assert.Throws<ValidationSetupException>(() => ProfileManifest.Load(folder, "1.0.0"))!;

            Assert.That(error.Message, Does.Contain(file));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
