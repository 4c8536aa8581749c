using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Task = System.Threading.Tasks.Task;

namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>One FHIR resource an index knows about, and the file (one resource per file) it is read from.</summary>
/// <param name="File">Path relative to the source's folder.</param>
/// <param name="FullUrl">The Bundle entry's fullUrl it came from, if any: resolvable by <see cref="IResourceResolver.ResolveByUri"/>.</param>
/// <param name="BundleEntry">When the file is a Bundle read whole: the index of the entry holding the resource.</param>
/// <param name="Offset">When the resource is a slice of a larger XML file: its first byte (see <see cref="CoreDefinitionCache"/>).</param>
/// <param name="Length">The slice's length in bytes.</param>
internal sealed record ArtifactEntry(string ResourceType, string? Id, string? Url, string? Version, string? FullUrl, string File,
    int? BundleEntry = null, long? Offset = null, int? Length = null);

/// <summary>
/// Resolves FHIR definitions through an index that is known up front, reading and parsing a resource's file only when
/// it is first asked for. Unlike Firely's DirectorySource it neither scans the files at start nor re-reads a whole
/// Bundle for each resource in it, which is where most of the validator's start-up went (see bench/README.md).
/// </summary>
/// <remarks>
/// Same answers as a DirectorySource over the same resources: canonical URLs match with or without "|version" (the
/// first entry in index order wins when a URL has several), and resource URIs match a Bundle entry's fullUrl or end in
/// "Type/id". Parsed resources are kept, so each file is read at most once per source. Thread-safe.
/// </remarks>
internal sealed class IndexedArtifactSource : IResourceResolver, IAsyncResourceResolver
{
    private static readonly FhirJsonDeserializer JsonParser = new(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable));
    private static readonly FhirXmlDeserializer XmlParser = new(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable));

    private readonly Dictionary<string, List<ArtifactEntry>> _byCanonical = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ArtifactEntry> _byFullUrl = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, string Id), ArtifactEntry> _byTypeAndId = [];
    private readonly ConcurrentDictionary<ArtifactEntry, Lazy<Resource>> _loaded = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ArtifactEntry, int> _positions = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentQueue<int> _requested = new();
    private readonly ConcurrentDictionary<int, byte> _requestedOnce = new();

    /// <param name="cacheEntry">The harness cache folder the index and files belong to, if they do (named in messages).</param>
    public IndexedArtifactSource(string name, string folder, IReadOnlyList<ArtifactEntry> entries, string? cacheEntry = null)
    {
        Name = name;
        Folder = folder;
        Entries = entries;
        CacheEntry = cacheEntry;
        for (var position = 0; position < entries.Count; position++)
        {
            var entry = entries[position];
            _positions[entry] = position;
            if (entry.Url is { Length: > 0 } url)
            {
                if (!_byCanonical.TryGetValue(url, out var sameUrl))
                    _byCanonical[url] = sameUrl = [];
                sameUrl.Add(entry);
            }
            if (entry.FullUrl is { Length: > 0 } fullUrl) _byFullUrl.TryAdd(fullUrl, entry);
            if (entry.Id is { Length: > 0 } id) _byTypeAndId.TryAdd((entry.ResourceType, id), entry);
        }
    }

    /// <summary>What the source is, for messages ("hl7.fhir.us.core#4.0.0").</summary>
    public string Name { get; }
    public string Folder { get; }
    public IReadOnlyList<ArtifactEntry> Entries { get; }
    public string? CacheEntry { get; }

    public ResolverResult TryResolveByCanonicalUri(string uri)
    {
        var bar = uri.IndexOf('|');
        var url = bar < 0 ? uri : uri[..bar];
        var version = bar < 0 ? null : uri[(bar + 1)..];
        if (_byCanonical.TryGetValue(url, out var candidates))
        {
            var match = version is null ? candidates[0] : candidates.FirstOrDefault(c => c.Version == version);
            if (match is not null) return Load(match);
        }
        return NotFound($"No resource with canonical URL '{uri}' in {Name}.");
    }

    public ResolverResult TryResolveByUri(string uri)
    {
        if (_byFullUrl.TryGetValue(uri, out var entry)) return Load(entry);
        var parts = uri.Split('#')[0].TrimEnd('/').Split('/');
        if (parts.Length >= 2 && _byTypeAndId.TryGetValue((parts[^2], parts[^1]), out entry)) return Load(entry);
        return NotFound($"No resource with URI '{uri}' in {Name}.");
    }

    public Resource? ResolveByCanonicalUri(string uri) => TryResolveByCanonicalUri(uri).Value;
    public Resource? ResolveByUri(string uri) => TryResolveByUri(uri).Value;
    public Task<Resource?> ResolveByCanonicalUriAsync(string uri) => Task.FromResult(ResolveByCanonicalUri(uri));
    public Task<Resource?> ResolveByUriAsync(string uri) => Task.FromResult(ResolveByUri(uri));
    public Task<ResolverResult> TryResolveByCanonicalUriAsync(string uri) => Task.FromResult(TryResolveByCanonicalUri(uri));
    public Task<ResolverResult> TryResolveByUriAsync(string uri) => Task.FromResult(TryResolveByUri(uri));

    /// <summary>Positions (in <see cref="Entries"/>) of the resources asked for so far, in the order first asked for.</summary>
    public IReadOnlyList<int> RequestedPositions => _requested.ToArray();

    /// <summary>
    /// Parses the resources at <paramref name="positions"/> ahead of the validator's requests (see
    /// <see cref="CoreDefinitionCache.ReadLastRequested"/>); a request for one being parsed waits for it instead of
    /// parsing it again. Problems are left for the request itself to report.
    /// </summary>
    public void Prefetch(IEnumerable<int> positions, CancellationToken cancellationToken = default)
    {
        foreach (var position in positions)
        {
            if (cancellationToken.IsCancellationRequested) return;
            if (position < 0 || position >= Entries.Count) continue;
            try { _ = Cell(Entries[position]).Value; }
            catch (ValidationSetupException) { }
        }
    }

    private Resource Load(ArtifactEntry entry)
    {
        if (_positions.TryGetValue(entry, out var position) && _requestedOnce.TryAdd(position, 0))
            _requested.Enqueue(position);
        return Cell(entry).Value;
    }

    private Lazy<Resource> Cell(ArtifactEntry entry) =>
        _loaded.GetOrAdd(entry, e => new Lazy<Resource>(() => Parse(e), LazyThreadSafetyMode.ExecutionAndPublication));

    private Resource Parse(ArtifactEntry entry)
    {
        var path = Path.Combine(Folder, entry.File);
        string text;
        try
        {
            text = entry is { Offset: { } offset, Length: { } length }
                ? CoreDefinitionCache.ReadSlice(path, offset, length)
                : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new ValidationSetupException($"'{path}' (indexed for {Name}) cannot be read ({e.Message}).{Remedy}", e);
        }

        var parsed = entry.File.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) ? ParseXml(text) : ParseJson(text);
        if (entry.BundleEntry is { } index)
            parsed = parsed is Bundle bundle && index < bundle.Entry.Count ? bundle.Entry[index].Resource : null;
        return parsed is { } resource && resource.TypeName == entry.ResourceType
            ? resource
            : throw new ValidationSetupException($"'{path}' (indexed for {Name} as {entry.ResourceType}/{entry.Id}) no longer holds that resource.{Remedy}");

        static Resource? ParseXml(string xml) { XmlParser.TryDeserializeResource(xml, out var resource, out _); return resource; }
        static Resource? ParseJson(string json) { JsonParser.TryDeserializeResource(json, out var resource, out _); return resource; }
    }

    private string Remedy => CacheEntry is null
        ? " Restore the package folder from its archive."
        : $" The harness cache entry is damaged: delete '{CacheEntry}' and run again.";

    private static ResolverResult NotFound(string message) => new ResolverException(ResolverException.NOT_FOUND, message);

    public override string ToString() => Name;
}
