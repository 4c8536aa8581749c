using DigitalInsurance.Conformance.Support.Rules;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;

namespace DigitalInsurance.Conformance.Support.Fhir;

/// <summary>A resource as the server sent it: the JSON (which the validator judges) and its parsed form (which checks navigate).</summary>
public sealed record ReceivedResource(Resource Resource, string Json, Uri Source)
{
    public string TypeName => Resource.TypeName;
    public string Reference => $"{Resource.TypeName}/{Resource.Id}";
}

/// <summary>
/// What the app asked the FHIR API during one scenario and what it got back: the last answer, the resources a search
/// found (every page) and the resources read by id.
/// </summary>
public sealed class FhirConversation(FhirApi api)
{
    /// <summary>How many pages a search follows before the server is judged to page forever.</summary>
    public const int MaxPages = 20;

    public FhirApi Api { get; } = api;
    public FhirResponse? LastResponse { get; private set; }
    public Bundle? FirstPage { get; private set; }
    public List<ReceivedResource> Found { get; } = [];
    public List<(ReceivedResource? Resource, FhirResponse Response)> Reads { get; } = [];

    public FhirResponse RequireLastResponse() =>
        LastResponse ?? throw new InvalidOperationException("No FHIR request was made in this scenario: a When step must query the API first.");

    public async Task<FhirResponse> GetAsync(string relative, CancellationToken cancellationToken = default)
    {
        LastResponse = await Api.GetAsync(relative, cancellationToken);
        return LastResponse;
    }

    /// <summary>Searches and follows next links to the end, keeping every match ("rule" names the requirement the search serves).</summary>
    public async Task SearchAsync(string resourceType, string? query, Requirement rule, CancellationToken cancellationToken = default)
    {
        Found.Clear();
        var first = await GetAsync(query is null ? resourceType : $"{resourceType}?{query}", cancellationToken);
        var bundle = ResponseRules.RequireSearchset(first, rule);
        FirstPage = bundle;
        var response = first;
        var seenPages = new HashSet<string>(StringComparer.Ordinal) { first.RequestUri.AbsoluteUri };
        for (var page = 1; ; page++)
        {
            var rawEntries = RawEntryResources(response.Body);
            for (var i = 0; i < bundle.Entry.Count; i++)
            {
                var entry = bundle.Entry[i];
                if (entry.Resource is null || entry.Search?.Mode == Bundle.SearchEntryMode.Include) continue;
                Found.Add(new ReceivedResource(entry.Resource, i < rawEntries.Count ? rawEntries[i] : "", response.RequestUri));
            }
            var next = bundle.Link.FirstOrDefault(l => l.Relation == "next")?.Url;
            if (next is null) break;
            Check.That(page < MaxPages, Requirements.FhirSearchPaging,
                $"A search must end within {MaxPages} pages of its next links.", $"{resourceType} still had a next link after {MaxPages} pages");
            var nextUri = Api.Resolve(next).AbsoluteUri;
            Check.That(seenPages.Add(nextUri), Requirements.FhirSearchPaging, "A search's next link must lead to a page not seen before.", $"next link {next} repeats");
            response = await GetAsync(nextUri, cancellationToken);
            bundle = ResponseRules.RequireSearchset(response, Requirements.FhirSearchPaging);
        }
    }

    /// <summary>Resources of the search's first page marked as included (search.mode = include).</summary>
    public IReadOnlyList<Resource> Included =>
        FirstPage?.Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Include && e.Resource is not null).Select(e => e.Resource!).ToList() ?? [];

    public async Task<(ReceivedResource? Resource, FhirResponse Response)> ReadAsync(string reference, CancellationToken cancellationToken = default)
    {
        var response = await GetAsync(reference, cancellationToken);
        var resource = response is { Status: System.Net.HttpStatusCode.OK, Resource: { } r } ? new ReceivedResource(r, response.Body, response.RequestUri) : null;
        Reads.Add((resource, response));
        return (resource, response);
    }

    /// <summary>Each entry's resource exactly as sent, so the validator sees what the server wrote, not a re-serialisation.</summary>
    private static List<string> RawEntryResources(string bundleJson)
    {
        using var document = System.Text.Json.JsonDocument.Parse(bundleJson);
        if (!document.RootElement.TryGetProperty("entry", out var entries) || entries.ValueKind != System.Text.Json.JsonValueKind.Array) return [];
        return entries.EnumerateArray()
            .Select(e => e.TryGetProperty("resource", out var r) ? r.GetRawText() : "")
            .ToList();
    }

    /// <summary>Every resource of the type this scenario received, by search or by read.</summary>
    public IReadOnlyList<ReceivedResource> Received(string resourceType) =>
        FoundOfType(resourceType).Concat(Reads.Select(r => r.Resource).OfType<ReceivedResource>().Where(r => r.TypeName == resourceType)).ToList();

    public IEnumerable<ReceivedResource> FoundOfType(string resourceType) => Found.Where(r => r.TypeName == resourceType);
}
