using System.Text.Json;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace DigitalInsurance.Conformance.Support.Fhir;

/// <summary>How a reference was written, which decides how it is followed.</summary>
public enum ReferenceForm { Absent, Contained, Relative, Absolute, Unusable }

/// <summary>
/// One reference of a resource and what following it gave: the target, or why there is none.
/// </summary>
/// <param name="Element">The element holding the reference, e.g. <c>Coverage.subscriber</c>.</param>
/// <param name="Source">The referring resource, e.g. <c>Coverage/coverage-jason-medical</c>.</param>
/// <param name="Reference">The reference as written (<c>Reference.reference</c>), null when there is none.</param>
public sealed record ResolvedReference(string Element, string Source, string? Reference, ReferenceForm Form, ReceivedResource? Target, string? Problem)
{
    public bool Resolved => Target is not null;

    /// <summary>"Coverage.subscriber of Coverage/1 (Patient/2)".</summary>
    public string Name => $"{Element} of {Source} ({(Reference is null ? "no reference" : Reference)})";

    public override string ToString() =>
        Resolved ? $"{Name} → {Target!.Reference} ({Form.ToString().ToLowerInvariant()})" : $"{Name}: unresolved, {Problem}";
}

/// <summary>
/// Follows references the way a member's app does (FHIR R4 References): "#id" to a resource contained in the referring
/// one, "Type/id" (optionally with "/_history/vid") relative to the FHIR base, and absolute URLs under that base, each
/// read with the member's token. Absolute URLs elsewhere (compared as RFC 3986 6.2.2 does: scheme and host ignoring case,
/// the path exactly) are not followed: the member's token is not sent to other servers. One instance per scenario: each target is read once.
/// </summary>
public sealed partial class ReferenceResolver(FhirConversation fhir)
{
    private readonly Dictionary<string, (ReceivedResource? Target, string? Problem)> _reads = new(StringComparer.Ordinal);

    /// <summary>The references at <paramref name="elementPath"/> (e.g. <c>Coverage.payor</c>) of each source, resolved.</summary>
    public async Task<IReadOnlyList<ResolvedReference>> ResolveAllAsync(IEnumerable<ReceivedResource> sources, string elementPath, CancellationToken cancellationToken = default)
    {
        var resolved = new List<ResolvedReference>();
        foreach (var source in sources)
        {
            var references = ReferencesAt(source.Resource, elementPath);
            if (references.Count == 0)
                resolved.Add(new ResolvedReference(elementPath, source.Reference, null, ReferenceForm.Absent, null, $"{source.Reference} has no {elementPath}"));
            foreach (var reference in references)
                resolved.Add(await ResolveAsync(source, elementPath, reference, cancellationToken));
        }
        return resolved;
    }

    public async Task<ResolvedReference> ResolveAsync(ReceivedResource source, string element, ResourceReference reference, CancellationToken cancellationToken = default)
    {
        var written = reference.Reference?.Trim();
        ResolvedReference Unresolved(ReferenceForm form, string problem) => new(element, source.Reference, written, form, null, problem);

        if (string.IsNullOrEmpty(written))
            return Unresolved(ReferenceForm.Absent,
                reference.Identifier is not null || reference.Display is not null
                    ? "it has only an identifier or display, no reference the app can follow"
                    : "it has no reference");

        if (written.StartsWith('#'))
            return Contained(source, element, written) is { } contained
                ? new ResolvedReference(element, source.Reference, written, ReferenceForm.Contained, contained, null)
                : Unresolved(ReferenceForm.Contained, $"{source.Reference} contains no resource with id \"{written[1..]}\"");

        string relative;
        ReferenceForm form;
        if (Uri.TryCreate(written, UriKind.Absolute, out var absolute))
        {
            if (absolute.Scheme is not ("http" or "https"))
                return Unresolved(ReferenceForm.Unusable, $"a {absolute.Scheme}: reference cannot be read from a FHIR server");
            if (!FhirReference.IsUnder(absolute, fhir.Api.BaseUrl))
                return Unresolved(ReferenceForm.Absolute,
                    $"it points outside the FHIR server under test ({fhir.Api.BaseUrl}), where the member's token is not sent");
            relative = absolute.AbsolutePath[fhir.Api.BaseUrl.AbsolutePath.Length..];
            form = ReferenceForm.Absolute;
        }
        else
        {
            relative = written;
            form = ReferenceForm.Relative;
        }

        var match = RelativeReference().Match(relative);
        if (!match.Success)
            return Unresolved(ReferenceForm.Unusable, "it is not a FHIR reference (Type/id, an absolute URL of the FHIR server or #id of a contained resource)");

        var (target, problem) = await ReadAsync(relative, match.Groups["type"].Value, match.Groups["id"].Value, cancellationToken);
        return target is null ? Unresolved(form, problem!) : new ResolvedReference(element, source.Reference, written, form, target, null);
    }

    private async Task<(ReceivedResource?, string?)> ReadAsync(string relative, string type, string id, CancellationToken cancellationToken)
    {
        if (_reads.TryGetValue(relative, out var known)) return known;
        var (target, response) = await fhir.ReadAsync(relative, cancellationToken);
        (ReceivedResource?, string?) outcome = target switch
        {
            null => (null, $"reading it with the member's token: {response.Describe()}"),
            _ when target.TypeName != type || target.Resource.Id != id =>
                (null, $"reading it returned {target.Reference} instead"),
            _ => (target, null),
        };
        _reads[relative] = outcome;
        return outcome;
    }

    /// <summary>The contained resource with the id, with its JSON exactly as the server wrote it inside the source.</summary>
    private static ReceivedResource? Contained(ReceivedResource source, string element, string reference)
    {
        var id = reference[1..];
        var resource = (source.Resource as DomainResource)?.Contained.FirstOrDefault(c => c.Id == id);
        return resource is null ? null : new ReceivedResource(resource, ContainedJson(source.Json, id), source.Source);
    }

    private static string ContainedJson(string sourceJson, string id)
    {
        if (string.IsNullOrEmpty(sourceJson)) return "";
        try
        {
            using var document = JsonDocument.Parse(sourceJson);
            if (!document.RootElement.TryGetProperty("contained", out var contained) || contained.ValueKind != JsonValueKind.Array) return "";
            return contained.EnumerateArray()
                .FirstOrDefault(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("id", out var cid) && cid.ValueKind == JsonValueKind.String && cid.GetString() == id)
                is { ValueKind: JsonValueKind.Object } found ? found.GetRawText() : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    /// <summary>The references at a path such as <c>Coverage.payor</c> (one level below the resource).</summary>
    internal static IReadOnlyList<ResourceReference> ReferencesAt(Resource resource, string elementPath)
    {
        var dot = elementPath.IndexOf('.');
        if (dot < 0 || elementPath[..dot] != resource.TypeName)
            throw new ArgumentException($"{elementPath} is not an element of {resource.TypeName}.", nameof(elementPath));
        var name = elementPath[(dot + 1)..];
        if (!resource.TryGetValue(name, out var value)) return [];
        return value switch
        {
            ResourceReference single => [single],
            IEnumerable<ResourceReference> many => many.ToList(),
            _ => [],
        };
    }

    // FHIR R4 References: [type]/[id] with an optional version, type a resource name, id 1-64 of [A-Za-z0-9-.].
    [GeneratedRegex(@"^(?<type>[A-Z][A-Za-z]+)/(?<id>[A-Za-z0-9\-\.]{1,64})(/_history/[A-Za-z0-9\-\.]{1,64})?$")]
    private static partial Regex RelativeReference();
}
