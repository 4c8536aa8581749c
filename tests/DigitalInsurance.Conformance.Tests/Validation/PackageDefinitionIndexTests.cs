using DigitalInsurance.Conformance.Support.Validation;
using Hl7.Fhir.Model;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

public class PackageDefinitionIndexTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("dic-package-index-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Indexes_the_packages_own_files_by_type_id_url_and_version_and_resolves_them_on_demand()
    {
        File.WriteAllText(Path.Combine(_folder, "package.json"), """{ "name": "example.fhir", "version": "1.0.0" }""");
        File.WriteAllText(Path.Combine(_folder, ".index.json"), """{ "index-version": 1, "files": [] }""");
        File.WriteAllText(Path.Combine(_folder, "ValueSet-a.json"),
            """{ "text": { "status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">a</div>" }, "resourceType": "ValueSet", "id": "a", "url": "http://example.org/ValueSet/a", "version": "1.0.0", "status": "active" }""");
        File.WriteAllText(Path.Combine(_folder, "CodeSystem-b.xml"),
            """<CodeSystem xmlns="http://hl7.org/fhir"><id value="b"/><url value="http://example.org/CodeSystem/b"/><status value="active"/><content value="complete"/></CodeSystem>""");
        File.WriteAllText(Path.Combine(_folder, "Bundle-defs.json"),
            """{ "resourceType": "Bundle", "id": "defs", "type": "collection", "entry": [ { "fullUrl": "http://example.org/ValueSet/c", "resource": { "resourceType": "ValueSet", "id": "c", "url": "http://example.org/ValueSet/c", "status": "draft" } } ] }""");
        File.WriteAllText(Path.Combine(_folder, "notes.json"), "not json at all");
        Directory.CreateDirectory(Path.Combine(_folder, "example"));
        File.WriteAllText(Path.Combine(_folder, "example", "ValueSet-ex.json"), """{ "resourceType": "ValueSet", "id": "ex", "url": "http://example.org/ValueSet/ex", "status": "draft" }""");

        var source = PackageDefinitionIndex.Open(new PackageInfo("example.fhir", "1.0.0", "test", _folder));

        Assert.Multiple(() =>
        {
            Assert.That(source.Entries.Select(e => $"{e.ResourceType}/{e.Id}"), Is.EquivalentTo(new[] { "ValueSet/a", "CodeSystem/b", "ValueSet/c" }),
                "a Bundle's entries are indexed; package.json, .index.json, unreadable files and subfolders are not definitions");
            Assert.That(source.ResolveByCanonicalUri("http://example.org/ValueSet/a|1.0.0")?.Id, Is.EqualTo("a"));
            Assert.That(source.ResolveByCanonicalUri("http://example.org/ValueSet/a|2.0.0"), Is.Null);
            Assert.That(source.ResolveByCanonicalUri("http://example.org/CodeSystem/b"), Is.InstanceOf<CodeSystem>());
            Assert.That(source.ResolveByUri("http://example.org/ValueSet/c")?.Id, Is.EqualTo("c"), "a Bundle's entry by its fullUrl");
            Assert.That(source.ResolveByCanonicalUri("http://example.org/ValueSet/c"), Is.InstanceOf<ValueSet>());
            Assert.That(source.ResolveByCanonicalUri("http://example.org/ValueSet/ex"), Is.Null, "example/ is not searched");
        });
    }

    [Test]
    public void Indexes_the_real_us_core_package_like_the_validator_sees_it()
    {
        var validator = ValidationTestEnvironment.SharedValidator().GetAwaiter().GetResult();
        var usCore = validator.LoadedPackages.Single(p => p.Name == "hl7.fhir.us.core");

        var source = PackageDefinitionIndex.Open(usCore);

        var patient = (StructureDefinition)source.ResolveByCanonicalUri("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient")!;
        Assert.That(patient.Snapshot!.Element, Has.Count.GreaterThan(50));
        Assert.That(source.Entries.Count(e => e.ResourceType == "StructureDefinition"), Is.GreaterThan(30));
    }
}
