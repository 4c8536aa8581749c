using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>
/// The FHIR R4 core definitions (the Firely SDK's specification.zip) extracted once into the harness cache with an index
/// of where each resource sits in its file: <c>~/.cache/dic-conformance/fhir-r4-core/hl7.fhir.r4.core#4.0.1-&lt;sha256 of
/// the zip&gt;-v2/</c>.
/// </summary>
/// <remarks>
/// The zip holds ten Bundles of 0.1–20 MB (profiles-resources.xml, valuesets.xml, …). Firely's ZipSource scans all of
/// them on every start (about 4 s of CPU) and then re-reads a Bundle up to the entry for every definition the validator
/// asks for (a few hundred ms each; the first validation of a Coverage asks for about 70). With the index, a definition
/// is read as one slice of its file, on demand. Building the entry costs one pass over the files, once per SDK
/// version; the folder can be deleted at any time.
/// </remarks>
internal static class CoreDefinitionCache
{
    // Bump when the layout of a cache entry changes: older entries are then simply not used any more.
    private const string LayoutVersion = "v2";
    private const string IndexFileName = "index.json";
    private const string FilesFolder = "files";
    private const string FhirNamespace = "http://hl7.org/fhir";
    private static readonly JsonSerializerOptions IndexJson = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The cached definitions of <paramref name="core"/> (whose ContentFolder is the specification.zip), built first if needed.</summary>
    /// <param name="cacheRoot">The harness cache root (<see cref="HarnessCache.Root"/>).</param>
    public static IndexedArtifactSource Open(PackageInfo core, string cacheRoot)
    {
        var zip = core.ContentFolder;
        var folder = Path.Combine(HarnessCache.Writable(Path.Combine(cacheRoot, "fhir-r4-core")), $"{core.Name}#{core.Version}-{Sha256Prefix(zip)}-{LayoutVersion}");
        if (!IsComplete(folder))
        {
            if (Directory.Exists(folder))
                throw new ValidationSetupException($"The cache folder '{folder}' is incomplete (no {IndexFileName}): delete it and run again.");
            HarnessCache.BuildAtomically(folder, target => Build(zip, target), IsComplete);
        }
        return new IndexedArtifactSource($"{core.Name}#{core.Version}", Path.Combine(folder, FilesFolder), ReadIndex(folder), cacheEntry: folder);
    }

    private static bool IsComplete(string folder) => File.Exists(Path.Combine(folder, IndexFileName));

    private const string LastRequestedFileName = "last-requested.json";

    /// <summary>
    /// The resources earlier runs' validators asked for, in the order first asked for (empty when none was recorded or
    /// the record is unreadable): parsing them ahead of the requests takes resolution off the first validation's path.
    /// </summary>
    public static IReadOnlyList<int> ReadLastRequested(IndexedArtifactSource core)
    {
        try
        {
            return JsonSerializer.Deserialize<List<int>>(File.ReadAllBytes(LastRequestedPath(core))) ?? [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return [];
        }
    }

    /// <summary>
    /// Adds what this run's validator asked for to the record (earlier runs' requests first). Best effort: the record
    /// only speeds later starts, so a read-only or vanished cache folder is no error.
    /// </summary>
    public static void RememberRequested(IndexedArtifactSource core)
    {
        var earlier = ReadLastRequested(core);
        var merged = earlier.Concat(core.RequestedPositions).Distinct().ToList();
        if (merged.Count == earlier.Count) return;
        var path = LastRequestedPath(core);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(merged));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (Exception) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private static string LastRequestedPath(IndexedArtifactSource core) => Path.Combine(core.CacheEntry ?? core.Folder, LastRequestedFileName);

    private static List<ArtifactEntry> ReadIndex(string folder)
    {
        var path = Path.Combine(folder, IndexFileName);
        try
        {
            return JsonSerializer.Deserialize<List<ArtifactEntry>>(File.ReadAllBytes(path), IndexJson)
                   ?? throw new JsonException("the index is null");
        }
        catch (JsonException e)
        {
            throw new ValidationSetupException($"The cache index '{path}' is damaged ({e.Message}): delete '{folder}' and run again.", e);
        }
    }

    /// <summary>Extracts the zip's FHIR XML files into <c>files/</c>, indexes each, and writes the index last.</summary>
    private static void Build(string zip, string target)
    {
        var files = Directory.CreateDirectory(Path.Combine(target, FilesFolder)).FullName;
        List<string> names;
        using (var archive = OpenZip(zip))
        {
            names = [];
            foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)))
            {
                var name = Path.GetFileName(entry.FullName);
                entry.ExtractToFile(Path.Combine(files, name), overwrite: true);
                names.Add(name);
            }
        }
        names.Sort(StringComparer.Ordinal);

        var perFile = new List<ArtifactEntry>[names.Count];
        Parallel.For(0, names.Count, i => perFile[i] = IndexFile(Path.Combine(files, names[i]), names[i]));

        // Files in name order, entries in Bundle order: of several resources with one canonical URL, the first wins.
        var entries = perFile.SelectMany(e => e).ToList();
        File.WriteAllBytes(Path.Combine(target, IndexFileName), JsonSerializer.SerializeToUtf8Bytes(entries, IndexJson));
    }

    /// <summary>
    /// One pass over a Bundle: each entry's resource with its identity and its byte range in the file (from the
    /// resource element's '&lt;' up to the '&lt;' of &lt;/resource&gt;). A file that is not a FHIR Bundle (the zip also
    /// holds XSD and schematron files) yields nothing, as Firely's DirectorySource skips it too.
    /// </summary>
    internal static List<ArtifactEntry> IndexFile(string path, string name)
    {
        var bytes = File.ReadAllBytes(path);
        var lines = new LineOffsets(bytes);
        var entries = new List<ArtifactEntry>();
        using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false),
            new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, IgnoreWhitespace = true });
        var lineInfo = (IXmlLineInfo)reader;
        if (reader.MoveToContent() != XmlNodeType.Element || reader.NamespaceURI != FhirNamespace || reader.LocalName != "Bundle")
            return entries;

        string? fullUrl = null;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            if (reader is { Depth: 2, LocalName: "fullUrl" } && reader.NamespaceURI == FhirNamespace)
            {
                fullUrl = reader.GetAttribute("value");
            }
            else if (reader is { Depth: 3 } && reader.NamespaceURI == FhirNamespace)
            {
                // The element inside <entry><resource>: the resource itself.
                var type = reader.LocalName;
                var start = lines.ElementStart(lineInfo.LineNumber, lineInfo.LinePosition);
                string? id = null, url = null, version = null;
                if (!reader.IsEmptyElement)
                {
                    while (reader.Read() && !(reader is { NodeType: XmlNodeType.EndElement, Depth: 3 }))
                    {
                        if (reader is { NodeType: XmlNodeType.Element, Depth: 4 })
                        {
                            switch (reader.LocalName)
                            {
                                case "id": id = reader.GetAttribute("value"); break;
                                case "url": url = reader.GetAttribute("value"); break;
                                case "version": version = reader.GetAttribute("value"); break;
                            }
                        }
                    }
                }
                // Next comes </resource>: the resource's slice ends before its '<'.
                if (!reader.Read() || reader is not { NodeType: XmlNodeType.EndElement, Depth: 2, LocalName: "resource" })
                    throw new FormatException($"{name}, line {lineInfo.LineNumber}: a Bundle entry's <resource> holds more than one element.");
                var end = lines.EndTagStart(lineInfo.LineNumber, lineInfo.LinePosition);
                entries.Add(new ArtifactEntry(type, id, url, version, fullUrl, name, Offset: start, Length: checked((int)(end - start))));
                fullUrl = null;
            }
        }
        return entries;
    }

    /// <summary>
    /// The text of an indexed resource: its slice of the file, with the FHIR namespace declared on its root element
    /// (in a Bundle it is inherited from &lt;Bundle&gt;).
    /// </summary>
    internal static string ReadSlice(string path, long offset, int length)
    {
        var buffer = new byte[length];
        using (var file = File.OpenRead(path))
        {
            file.Seek(offset, SeekOrigin.Begin);
            file.ReadExactly(buffer);
        }
        var xml = Encoding.UTF8.GetString(buffer);
        var nameEnd = xml.IndexOfAny([' ', '>', '/', '\t', '\r', '\n'], 1);
        if (xml.Length == 0 || xml[0] != '<' || nameEnd < 0)
            throw new FormatException($"'{path}' has no element at byte {offset}.");
        var tagEnd = xml.IndexOf('>', nameEnd);
        return tagEnd > 0 && xml.AsSpan(nameEnd, tagEnd - nameEnd).Contains("xmlns=", StringComparison.Ordinal)
            ? xml
            : xml.Insert(nameEnd, $" xmlns=\"{FhirNamespace}\"");
    }

    private static ZipArchive OpenZip(string zip)
    {
        try
        {
            return ZipFile.OpenRead(zip);
        }
        catch (InvalidDataException e)
        {
            throw new ValidationSetupException($"'{zip}' (the FHIR R4 core definitions) is not a readable zip ({e.Message}). Restore the NuGet package Hl7.Fhir.Specification.Data.R4 again.", e);
        }
    }

    private static string Sha256Prefix(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
    }

    /// <summary>Turns the XmlReader's line and character positions into byte offsets of a UTF-8 file.</summary>
    private sealed class LineOffsets
    {
        private readonly byte[] _bytes;
        private readonly List<int> _lineStarts = [0];

        public LineOffsets(byte[] bytes)
        {
            _bytes = bytes;
            for (var i = 0; i < bytes.Length; i++)
                if (bytes[i] == (byte)'\n') _lineStarts.Add(i + 1);
        }

        /// <summary>For an element, the reader's position is that of its name: the '&lt;' is one character before.</summary>
        public long ElementStart(int line, int position) => Checked(ByteOffset(line, position - 1) - 1);

        /// <summary>For an end tag, the position is that of its name: "&lt;/" is two characters before.</summary>
        public long EndTagStart(int line, int position) => Checked(ByteOffset(line, position - 1) - 2);

        private long ByteOffset(int line, int charsIntoLine)
        {
            var offset = _lineStarts[line - 1];
            if (line == 1 && _bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) offset += 3;
            // Positions count UTF-16 characters; walk the line's UTF-8 bytes to the same number of characters.
            for (var chars = 0; chars < charsIntoLine; chars++)
            {
                var lead = _bytes[offset];
                var width = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
                if (width == 4) chars++; // a surrogate pair counts as two characters
                offset += width;
            }
            return offset;
        }

        private long Checked(long offset) =>
            offset >= 0 && offset < _bytes.Length && _bytes[offset] == (byte)'<'
                ? offset
                : throw new FormatException($"The XML reader's position does not point at a tag (byte {offset}).");
    }
}
