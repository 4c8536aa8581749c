using DemoHealthPlan.Sandbox.Faults;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Data;

/// <summary>
/// Reads the data folder: every *.json file below it (ordinal order of relative path) holds one resource or a
/// collection, transaction or batch Bundle. Resources are served as they are, even when FHIR R4 does not allow some of
/// their content (a code outside a required value set, a malformed date): QA can replay a payer's captured data and
/// watch the harness judge it; such files are listed in <see cref="FhirResourceStore.LoadWarnings"/>. Anything the
/// sandbox cannot serve at all (no FHIR JSON, another type, no id) is a startup error naming the file.
/// </summary>
internal static class FhirDataLoader
{
    public static readonly IReadOnlyList<string> ServedTypes = ["Patient", "Coverage", "Organization", "RelatedPerson"];

    public static FhirResourceStore Load(string folder)
    {
        if (!Directory.Exists(folder))
            throw new SandboxConfigurationException($"Sandbox:DataFolder '{folder}' does not exist. Point it at a folder of FHIR R4 JSON files.");

        var files = Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
            throw new SandboxConfigurationException($"Sandbox:DataFolder '{folder}' holds no *.json files. Add FHIR R4 resources or Bundles (Patient, Coverage, Organization).");

        var origins = new Dictionary<(string Type, string Id), string>();
        var resources = new List<Resource>();
        var warnings = new List<string>();
        foreach (var relative in files)
        {
            foreach (var resource in ReadFile(Path.Combine(folder, relative), relative, warnings))
            {
                var key = (resource.TypeName, resource.Id!);
                if (origins.TryGetValue(key, out var first))
                    throw Problem(relative, $"{resource.TypeName}/{resource.Id} is defined twice (first in '{first}'). Give each resource its own id.");
                origins[key] = relative;
                resources.Add(resource);
            }
        }
        return new FhirResourceStore(resources) { LoadWarnings = warnings };
    }

    private static IEnumerable<Resource> ReadFile(string path, string relative, List<string> warnings)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw Problem(relative, $"cannot be read: {e.Message}");
        }

        if (!FhirJson.TryParseAsIs(text, out var parsed, out var deviations, out var problem))
            throw Problem(relative, $"is not valid FHIR R4 JSON: {problem}");
        if (deviations is not null) warnings.Add($"'{relative}': {deviations}");

        var resources = parsed is Bundle bundle ? Unpack(bundle, relative) : [parsed!];
        foreach (var resource in resources)
        {
            if (!ServedTypes.Contains(resource.TypeName))
                throw Problem(relative, $"holds a {resource.TypeName}; the sandbox serves only {string.Join(", ", ServedTypes)}. Remove it or move it out of the data folder.");
            if (string.IsNullOrWhiteSpace(resource.Id))
                throw Problem(relative, $"holds a {resource.TypeName} without an id. Give every resource an id.");
        }
        return resources;
    }

    private static List<Resource> Unpack(Bundle bundle, string relative)
    {
        if (bundle.Type is not (Bundle.BundleType.Collection or Bundle.BundleType.Transaction or Bundle.BundleType.Batch))
            throw Problem(relative, $"is a Bundle of type '{bundle.Type?.ToString().ToLowerInvariant() ?? "(none)"}'; use a collection, transaction or batch Bundle.");

        var resources = new List<Resource>();
        // fullUrl -> "Type/id", so that entries referring to each other by urn:uuid or absolute URL keep working.
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            var resource = entry.Resource ?? throw Problem(relative, $"has a Bundle entry #{i + 1} without a resource.");
            if (string.IsNullOrWhiteSpace(resource.Id))
                resource.Id = IdFromRequest(entry, resource.TypeName) ?? DerivedId(relative, i);
            if (!string.IsNullOrEmpty(entry.FullUrl)) aliases[entry.FullUrl] = $"{resource.TypeName}/{resource.Id}";
            resources.Add(resource);
        }

        if (aliases.Count > 0)
            foreach (var resource in resources)
                foreach (var reference in References(resource))
                    if (reference.Reference is { } target && aliases.TryGetValue(target, out var local) && target != local)
                        reference.Reference = local;
        return resources;
    }

    private static string? IdFromRequest(Bundle.EntryComponent entry, string type)
    {
        if (entry.Request is not { Method: Bundle.HTTPVerb.PUT, Url: { } url }) return null;
        var parts = url.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && parts[0] == type ? parts[1] : null;
    }

    private static string DerivedId(string relative, int index)
    {
        var stem = new string(Path.ChangeExtension(relative, null).Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
        if (stem.Length > 50) stem = stem[..50].TrimEnd('-');
        return $"{stem}-{index + 1}";
    }

    private static IEnumerable<ResourceReference> References(Base element)
    {
        foreach (var (_, value) in element.EnumerateElements())
        {
            var children = value switch
            {
                Base single => [single],
                IEnumerable<Base> many => many,
                _ => [],
            };
            foreach (var child in children)
            {
                if (child is ResourceReference reference) yield return reference;
                foreach (var nested in References(child)) yield return nested;
            }
        }
    }

    private static SandboxConfigurationException Problem(string relative, string what) =>
        new($"Sandbox data file '{relative}' {what}");
}
