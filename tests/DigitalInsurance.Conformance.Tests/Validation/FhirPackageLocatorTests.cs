using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using DigitalInsurance.Conformance.Support.Validation;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

public class FhirPackageLocatorTests
{
    private static readonly FhirPackageId Example = new("example.fhir.package", "2.3.4");

    private string _root = null!;
    private string _configured = null!;
    private string _fhirCache = null!;
    private string _extraction = null!;

    [SetUp]
    public void CreateFolders()
    {
        _root = Directory.CreateTempSubdirectory("dic-packages-").FullName;
        _configured = Directory.CreateDirectory(Path.Combine(_root, "configured")).FullName;
        _fhirCache = Directory.CreateDirectory(Path.Combine(_root, "home", ".fhir", "packages")).FullName;
        _extraction = Path.Combine(_root, "home", ".cache", "packages");
    }

    [TearDown]
    public void DeleteFolders() => Directory.Delete(_root, recursive: true);

    private FhirPackageLocator Locator(string? configured = "use default") =>
        new(configured == "use default" ? _configured : configured, _fhirCache, _extraction);

    [TestCase(false, Description = "name-version.tgz")]
    [TestCase(true, Description = "name#version.tgz")]
    public void Finds_an_archive_in_the_configured_folder_and_extracts_it(bool hashInFileName)
    {
        var archive = Path.Combine(_configured, $"example.fhir.package{(hashInFileName ? '#' : '-')}2.3.4.tgz");
        WriteArchive(archive, Example);

        var found = Locator().Locate(Example);

        Assert.Multiple(() =>
        {
            Assert.That(found.Name, Is.EqualTo(Example.Name));
            Assert.That(found.Version, Is.EqualTo(Example.Version));
            Assert.That(found.Source, Is.EqualTo(archive));
            Assert.That(found.ContentFolder, Does.StartWith(_extraction));
            Assert.That(File.ReadAllText(Path.Combine(found.ContentFolder, "StructureDefinition-x.json")), Does.Contain("StructureDefinition"));
            Assert.That(Directory.GetDirectories(_fhirCache), Is.Empty, "the FHIR tools' cache is left alone");
        });
    }

    [Test]
    public void Finds_an_extracted_package_folder_in_the_configured_folder()
    {
        var content = WriteExtracted(Path.Combine(_configured, "example.fhir.package#2.3.4"), Example);

        var found = Locator().Locate(Example);

        Assert.That(found.ContentFolder, Is.EqualTo(content));
    }

    [Test]
    public void Falls_back_to_the_fhir_package_cache_layout()
    {
        var content = WriteExtracted(Path.Combine(_fhirCache, "example.fhir.package#2.3.4"), Example);

        Assert.Multiple(() =>
        {
            Assert.That(Locator().Locate(Example).ContentFolder, Is.EqualTo(content), "with a configured folder that lacks it");
            Assert.That(Locator(configured: null).Locate(Example).ContentFolder, Is.EqualTo(content), "without a configured folder");
        });
    }

    [Test]
    public void Prefers_the_configured_folder_over_the_fhir_package_cache()
    {
        WriteExtracted(Path.Combine(_fhirCache, "example.fhir.package#2.3.4"), Example);
        WriteArchive(Path.Combine(_configured, "example.fhir.package-2.3.4.tgz"), Example);

        Assert.That(Locator().Locate(Example).Source, Does.StartWith(_configured));
    }

    [Test]
    public void Reuses_an_extraction_and_extracts_again_when_the_archive_changes()
    {
        var archive = Path.Combine(_configured, "example.fhir.package-2.3.4.tgz");
        WriteArchive(archive, Example, marker: "first");
        var first = Locator().Locate(Example);
        var again = Locator().Locate(Example);

        WriteArchive(archive, Example, marker: "second");
        var changed = Locator().Locate(Example);

        Assert.Multiple(() =>
        {
            Assert.That(again.ContentFolder, Is.EqualTo(first.ContentFolder));
            Assert.That(changed.ContentFolder, Is.Not.EqualTo(first.ContentFolder));
            Assert.That(File.ReadAllText(Path.Combine(changed.ContentFolder, "StructureDefinition-x.json")), Does.Contain("second"));
        });
    }

    [Test]
    public void Concurrent_runs_extracting_the_same_archive_all_get_a_complete_package()
    {
        WriteArchive(Path.Combine(_configured, "example.fhir.package-2.3.4.tgz"), Example, extraFiles: 200);

        var results = new PackageInfo[8];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = Locator().Locate(Example));

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.ContentFolder).Distinct().Count(), Is.EqualTo(1));
            Assert.That(Directory.GetFiles(results[0].ContentFolder, "*.json"), Has.Length.EqualTo(202), "package.json, the profile and 200 extra files");
            Assert.That(Directory.GetDirectories(_extraction, ".extract-*"), Is.Empty, "no temporary folders left behind");
        });
    }

    [Test]
    public void A_missing_package_names_the_package_every_place_searched_and_the_fix()
    {
        var error = Assert.Throws<ValidationSetupException>(() => Locator().Locate(Example))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("example.fhir.package#2.3.4"));
            Assert.That(error.Message, Does.Contain(Path.Combine(_configured, "example.fhir.package-2.3.4.tgz")));
            Assert.That(error.Message, Does.Contain(Path.Combine(_configured, "example.fhir.package#2.3.4.tgz")));
            Assert.That(error.Message, Does.Contain(Path.Combine(_configured, "example.fhir.package#2.3.4", "package")));
            Assert.That(error.Message, Does.Contain(Path.Combine(_fhirCache, "example.fhir.package#2.3.4", "package")));
            Assert.That(error.Message, Does.Contain("DIC_FHIR_PACKAGES"));
            Assert.That(error.Message, Does.Contain("fhirPackages"));
            Assert.That(error.Message, Does.Contain("fhir install example.fhir.package 2.3.4"));
            Assert.That(error.Message, Does.Not.Contain("\n"));
        });
    }

    [Test]
    public void A_configured_folder_that_does_not_exist_is_an_error_naming_it()
    {
        var missing = Path.Combine(_root, "no-such-folder");

        var error = Assert.Throws<ValidationSetupException>(() => Locator(missing).Locate(Example))!;

        Assert.That(error.Message, Does.Contain(missing).And.Contain("DIC_FHIR_PACKAGES"));
    }

    [Test]
    public void An_archive_holding_another_package_version_is_rejected()
    {
        WriteArchive(Path.Combine(_configured, "example.fhir.package-2.3.4.tgz"), Example with { Version = "9.9.9" });

        var error = Assert.Throws<ValidationSetupException>(() => Locator().Locate(Example))!;

        Assert.That(error.Message, Does.Contain("example.fhir.package#9.9.9").And.Contain("not example.fhir.package#2.3.4"));
    }

    [Test]
    public void A_cached_folder_holding_another_package_name_is_rejected()
    {
        WriteExtracted(Path.Combine(_fhirCache, "example.fhir.package#2.3.4"), Example with { Name = "other.package" });

        var error = Assert.Throws<ValidationSetupException>(() => Locator().Locate(Example))!;

        Assert.That(error.Message, Does.Contain("other.package#2.3.4").And.Contain("not example.fhir.package#2.3.4"));
    }

    [Test]
    public void A_corrupt_archive_is_an_error_naming_the_file()
    {
        var archive = Path.Combine(_configured, "example.fhir.package-2.3.4.tgz");
        File.WriteAllText(archive, "this is not gzip");

        var error = Assert.Throws<ValidationSetupException>(() => Locator().Locate(Example))!;

        Assert.That(error.Message, Does.Contain(archive));
    }

    [Test]
    public void An_archive_entry_escaping_its_folder_is_refused_and_nothing_is_written_outside()
    {
        var archive = Path.Combine(_configured, "example.fhir.package-2.3.4.tgz");
        WriteArchive(archive, Example, evilEntry: "../../escaped.json");

        var error = Assert.Throws<ValidationSetupException>(() => Locator().Locate(Example))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("outside"));
            Assert.That(Directory.GetFiles(_root, "escaped.json", SearchOption.AllDirectories), Is.Empty);
        });
    }

    [Test]
    public void Extracts_a_real_ig_package()
    {
        var archive = ValidationTestEnvironment.PackageArchive("hl7.fhir.us.insurance-card", "1.0.0");
        File.Copy(archive, Path.Combine(_configured, Path.GetFileName(archive)));

        var found = Locator().Locate(new FhirPackageId("hl7.fhir.us.insurance-card", "1.0.0"));

        Assert.That(Path.Combine(found.ContentFolder, "StructureDefinition-C4DIC-Coverage.json"), Does.Exist);
    }

    private static string WriteExtracted(string packageRoot, FhirPackageId declared)
    {
        var content = Directory.CreateDirectory(Path.Combine(packageRoot, "package")).FullName;
        File.WriteAllText(Path.Combine(content, "package.json"), PackageJson(declared));
        return content;
    }

    private static void WriteArchive(string path, FhirPackageId declared, string marker = "", int extraFiles = 0, string? evilEntry = null)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        Add(tar, "package/package.json", PackageJson(declared));
        Add(tar, "package/StructureDefinition-x.json", $$"""{"resourceType":"StructureDefinition","id":"x","description":"{{marker}}"}""");
        for (var i = 0; i < extraFiles; i++)
            Add(tar, $"package/Basic-{i}.json", $$"""{"resourceType":"Basic","id":"b{{i}}"}""");
        if (evilEntry is not null)
            Add(tar, evilEntry, "{}");
    }

    private static void Add(TarWriter tar, string name, string text) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });

    private static string PackageJson(FhirPackageId id) => $$"""{"name":"{{id.Name}}","version":"{{id.Version}}","fhirVersions":["4.0.1"]}""";
}
