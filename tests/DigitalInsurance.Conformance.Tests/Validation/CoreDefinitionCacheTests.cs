using System.IO.Compression;
using System.Text;
using DigitalInsurance.Conformance.Support.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

/// <summary>The harness's cache of the R4 core definitions: index, slices, reuse, damage, and the record of what was asked for.</summary>
public class CoreDefinitionCacheTests
{
    private string _root = null!;

    [SetUp]
    public void CreateFolder() => _root = Directory.CreateTempSubdirectory("dic-core-cache-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_root, recursive: true);

    private const string Bundle = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Bundle xmlns="http://hl7.org/fhir">
          <id value="sample"/>
          <type value="collection"/>
          <entry>
            <fullUrl value="http://example.org/fhir/CodeSystem/colours"/>
            <resource>
              <CodeSystem>
                <id value="colours"/>
                <url value="http://example.org/fhir/CodeSystem/colours"/>
                <version value="1.0"/>
                <name value="Colours"/>
                <title value="Couleurs — ü, ñ, 色, 😀 before the slice ends"/>
                <status value="active"/>
                <content value="complete"/>
                <concept><code value="red"/><display value="Rot — rouge"/></concept>
              </CodeSystem>
            </resource>
          </entry>
          <entry>
            <fullUrl value="http://example.org/fhir/CodeSystem/colours-2"/>
            <resource><CodeSystem><id value="colours-2"/><url value="http://example.org/fhir/CodeSystem/colours"/><version value="2.0"/><title value="Zweite — 😀 ü"/><status value="draft"/><content value="example"/></CodeSystem></resource>
          </entry>
          <entry>
            <fullUrl value="http://example.org/fhir/ValueSet/colours"/>
            <resource>
              <ValueSet xmlns="http://hl7.org/fhir">
                <id value="colours"/>
                <text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><p>Ünïcödé narrative</p></div></text>
                <url value="http://example.org/fhir/ValueSet/colours"/>
                <status value="active"/>
              </ValueSet>
            </resource>
          </entry>
        </Bundle>
        """;

    private string WriteZip(params (string Name, string Content)[] files)
    {
        var zip = Path.Combine(_root, $"specification-{Guid.NewGuid():N}.zip");
        using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
        foreach (var (name, content) in files)
        {
            using var writer = new StreamWriter(archive.CreateEntry(name).Open(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            writer.Write(content);
        }
        return zip;
    }

    private IndexedArtifactSource Open(string zip) =>
        CoreDefinitionCache.Open(new PackageInfo("hl7.fhir.r4.core", "4.0.1", "test", zip), Path.Combine(_root, "cache"));

    [Test]
    public void Resolves_each_bundle_entry_from_its_slice_by_canonical_version_uri_and_type_and_id()
    {
        var source = Open(WriteZip(("valuesets.xml", Bundle), ("fhir-single.xsd", "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"/>")));

        var colours = (CodeSystem)source.ResolveByCanonicalUri("http://example.org/fhir/CodeSystem/colours")!;
        var second = (CodeSystem)source.ResolveByCanonicalUri("http://example.org/fhir/CodeSystem/colours|2.0")!;
        Assert.Multiple(() =>
        {
            Assert.That(source.Entries, Has.Count.EqualTo(3), "the XSD is no FHIR resource");
            Assert.That(colours.Id, Is.EqualTo("colours"), "without a version the first of several with the URL wins");
            Assert.That(colours.Title, Is.EqualTo("Couleurs — ü, ñ, 色, 😀 before the slice ends"));
            Assert.That(colours.Concept.Single().Display, Is.EqualTo("Rot — rouge"));
            Assert.That(second.Id, Is.EqualTo("colours-2"));
            Assert.That(source.ResolveByCanonicalUri("http://example.org/fhir/CodeSystem/colours|3.0"), Is.Null);
            Assert.That(source.ResolveByUri("http://example.org/fhir/ValueSet/colours")?.Id, Is.EqualTo("colours"));
            Assert.That(((ValueSet)source.ResolveByCanonicalUri("http://example.org/fhir/ValueSet/colours")!).Text!.Div, Does.Contain("Ünïcödé"));
            Assert.That(source.ResolveByUri("CodeSystem/colours-2")?.Id, Is.EqualTo("colours-2"));
            Assert.That(source.TryResolveByCanonicalUri("http://example.org/fhir/ValueSet/none").Error?.Message, Does.Contain("hl7.fhir.r4.core#4.0.1"));
        });
    }

    [Test]
    public void A_second_open_reuses_the_cache_entry_and_a_damaged_entry_says_to_delete_it()
    {
        var zip = WriteZip(("valuesets.xml", Bundle));
        var first = Open(zip);
        var index = Path.Combine(first.CacheEntry!, "index.json");
        var written = File.GetLastWriteTimeUtc(index);

        var second = Open(zip);
        Assert.That(second.CacheEntry, Is.EqualTo(first.CacheEntry));
        Assert.That(File.GetLastWriteTimeUtc(index), Is.EqualTo(written), "not rebuilt");

        File.Delete(index);
        var error = Assert.Throws<ValidationSetupException>(() => Open(zip))!;
        Assert.That(error.Message, Does.Contain(first.CacheEntry).And.Contain("delete it"));
    }

    [Test]
    public void A_changed_archive_gets_its_own_cache_entry()
    {
        var first = Open(WriteZip(("valuesets.xml", Bundle)));
        var second = Open(WriteZip(("valuesets.xml", Bundle.Replace("Colours", "Colors"))));
        Assert.That(second.CacheEntry, Is.Not.EqualTo(first.CacheEntry));
    }

    [Test]
    public void A_file_changed_under_the_index_is_reported_with_the_entry_to_delete()
    {
        var source = Open(WriteZip(("valuesets.xml", Bundle)));
        File.WriteAllText(Path.Combine(source.Folder, "valuesets.xml"), "<Bundle xmlns=\"http://hl7.org/fhir\"/>");

        var error = Assert.Throws<ValidationSetupException>(() => source.ResolveByCanonicalUri("http://example.org/fhir/ValueSet/colours"))!;
        Assert.That(error.Message, Does.Contain(source.CacheEntry));
    }

    [Test]
    public void What_the_validator_asked_for_is_remembered_in_order_and_prefetched_next_time()
    {
        var zip = WriteZip(("valuesets.xml", Bundle));
        var first = Open(zip);
        Assert.That(CoreDefinitionCache.ReadLastRequested(first), Is.Empty);

        first.ResolveByCanonicalUri("http://example.org/fhir/ValueSet/colours");
        first.ResolveByCanonicalUri("http://example.org/fhir/CodeSystem/colours|2.0");
        first.ResolveByCanonicalUri("http://example.org/fhir/ValueSet/colours");
        CoreDefinitionCache.RememberRequested(first);

        var next = Open(zip);
        var remembered = CoreDefinitionCache.ReadLastRequested(next);
        Assert.That(remembered.Select(p => next.Entries[p].Id), Is.EqualTo(new[] { "colours", "colours-2" }));
        Assert.That(remembered.Select(p => next.Entries[p].ResourceType), Is.EqualTo(new[] { "ValueSet", "CodeSystem" }));

        // Prefetching parses the files; the index then still answers from memory after they are gone.
        next.Prefetch(remembered);
        File.Delete(Path.Combine(next.Folder, "valuesets.xml"));
        Assert.That(next.ResolveByCanonicalUri("http://example.org/fhir/CodeSystem/colours|2.0")?.Id, Is.EqualTo("colours-2"));
    }

    /// <summary>
    /// On a real Bundle of the SDK's specification.zip, every slice parses to exactly the resource in the Bundle: the
    /// byte ranges are right for every entry, not just for a hand-written sample.
    /// </summary>
    [Test]
    public void Every_slice_of_the_sdks_profiles_types_bundle_is_exactly_its_bundle_entry()
    {
        var core = CoreSpecificationZip();
        var folder = Directory.CreateDirectory(Path.Combine(_root, "extract")).FullName;
        using (var archive = ZipFile.OpenRead(core))
            archive.GetEntry("profiles-types.xml")!.ExtractToFile(Path.Combine(folder, "profiles-types.xml"));
        var path = Path.Combine(folder, "profiles-types.xml");

        var entries = CoreDefinitionCache.IndexFile(path, "profiles-types.xml");
        var bundle = new FhirXmlDeserializer().Deserialize<Bundle>(File.ReadAllText(path));

        Assert.That(entries, Has.Count.EqualTo(bundle.Entry.Count));
        var parser = new FhirXmlDeserializer();
        for (var i = 0; i < entries.Count; i++)
        {
            var slice = parser.DeserializeResource(CoreDefinitionCache.ReadSlice(path, entries[i].Offset!.Value, entries[i].Length!.Value));
            Assert.That(slice.IsExactly(bundle.Entry[i].Resource), $"entry {i} ({entries[i].ResourceType}/{entries[i].Id})");
            Assert.That(entries[i].Url, Is.EqualTo((bundle.Entry[i].Resource as StructureDefinition)?.Url));
            Assert.That(entries[i].FullUrl, Is.EqualTo(bundle.Entry[i].FullUrl));
        }
    }

    private static string CoreSpecificationZip()
    {
        var nugetRoot = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Directory.EnumerateFiles(Path.Combine(nugetRoot, "hl7.fhir.specification.data.r4"), "specification.zip", SearchOption.AllDirectories).First();
    }
}
