using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>
/// Indexes the definitions in an extracted FHIR package folder (<c>package/</c>, not its subfolders such as
/// <c>example/</c>, as Firely's DirectorySource does by default) by reading only each file's resourceType, id, url and
/// version. An IG package is small (about 150 files, 7 MB for US Core), so this takes milliseconds and needs no cache;
/// the package's own <c>.index.json</c> is not trusted, as hand-made packages may lack or misstate it.
/// </summary>
internal static class PackageDefinitionIndex
{
    private static readonly XNamespace Fhir = "http://hl7.org/fhir";

    public static IndexedArtifactSource Open(PackageInfo package) =>
        new($"{package.Name}#{package.Version}", package.ContentFolder, Read(package.ContentFolder));

    public static List<ArtifactEntry> Read(string folder)
    {
        var entries = new List<ArtifactEntry>();
        foreach (var path in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            try
            {
                if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    entries.AddRange(FromJson(File.ReadAllBytes(path), file));
                else if (file.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                    entries.AddRange(FromXml(path, file));
            }
            catch (Exception e) when (e is JsonException or XmlException)
            {
                // Not a FHIR resource (or not well-formed): DirectorySource skips such files as well.
            }
        }
        return entries;
    }

    private static IEnumerable<ArtifactEntry> FromJson(byte[] json, string file)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return [];
        string? type = null, id = null, url = null, version = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                switch (name)
                {
                    case "resourceType": type = reader.GetString(); break;
                    case "id": id = reader.GetString(); break;
                    case "url": url = reader.GetString(); break;
                    case "version": version = reader.GetString(); break;
                }
            }
            else
            {
                reader.Skip();
            }
        }
        if (type is null) return []; // package.json, .index.json and the like
        return type == "Bundle" ? BundleEntries(JsonDocument.Parse(json).RootElement, file) : [new ArtifactEntry(type, id, url, version, null, file)];
    }

    private static IEnumerable<ArtifactEntry> BundleEntries(JsonElement bundle, string file)
    {
        if (!bundle.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array) yield break;
        var index = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.TryGetProperty("resource", out var resource) && Text(resource, "resourceType") is { } type)
                yield return new ArtifactEntry(type, Text(resource, "id"), Text(resource, "url"), Text(resource, "version"), Text(entry, "fullUrl"), file, index);
            index++;
        }

        static string? Text(JsonElement element, string property) =>
            element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private static IEnumerable<ArtifactEntry> FromXml(string path, string file)
    {
        var root = XElement.Load(path);
        if (root.Name.Namespace != Fhir) return [];
        if (root.Name.LocalName != "Bundle")
            return [new ArtifactEntry(root.Name.LocalName, Value(root, "id"), Value(root, "url"), Value(root, "version"), null, file)];
        return root.Elements(Fhir + "entry")
            .Select((entry, index) => (entry, index, resource: entry.Element(Fhir + "resource")?.Elements().FirstOrDefault()))
            .Where(e => e.resource is not null)
            .Select(e => new ArtifactEntry(e.resource!.Name.LocalName, Value(e.resource, "id"), Value(e.resource, "url"), Value(e.resource, "version"),
                Value(e.entry, "fullUrl"), file, e.index))
            .ToList();
    }

    private static string? Value(XElement parent, string child) => parent.Element(Fhir + child)?.Attribute("value")?.Value;
}
