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

/// <summary>How a search's walk through its next links ended.</summary>
public enum SearchWalkEnd { LastPage, NotABundle, RepeatedLink, PageLimit }

/// <summary>
/// The pages one search returned, in order, and why the walk stopped; <paramref name="UnfollowedLink"/> is the next link
/// it did not follow (<see cref="SearchWalkEnd.RepeatedLink"/>, <see cref="SearchWalkEnd.PageLimit"/>).
/// </summary>
public sealed record SearchWalk(string ResourceType, IReadOnlyList<FhirResponse> Pages, SearchWalkEnd End, string? UnfollowedLink);

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

    /// <summary>
    /// Searches and follows next links while each page is a Bundle, keeping every match in <see cref="Found"/>; stops at the
    /// last page, at a page that is no Bundle, at a next link already followed, or after <see cref="MaxPages"/> pages.
    /// What the pages were and why the walk ended is for the rules to judge (SearchRules).
    /// </summary>
    public async Task<SearchWalk> WalkSearchAsync(string resourceType, string? query, CancellationToken cancellationToken = default)
    {
        Found.Clear();
        var response = await GetAsync(query is null ? resourceType : $"{resourceType}?{query}", cancellationToken);
        FirstPage = response.Resource as Bundle;
        var pages = new List<FhirResponse> { response };
        var seenPages = new HashSet<string>(StringComparer.Ordinal) { response.RequestUri.AbsoluteUri };
        while (true)
        {
            if (response.Resource is not Bundle bundle) return new SearchWalk(resourceType, pages, SearchWalkEnd.NotABundle, null);
            var rawEntries = RawEntryResources(response.Body);
            for (var i = 0; i < bundle.Entry.Count; i++)
            {
                var entry = bundle.Entry[i];
                // Included resources and a server's notes on the search (search.mode = outcome) are not matches.
                if (entry.Resource is null || entry.Search?.Mode is Bundle.SearchEntryMode.Include or Bundle.SearchEntryMode.Outcome) continue;
                Found.Add(new ReceivedResource(entry.Resource, i < rawEntries.Count ? rawEntries[i] : "", response.RequestUri));
            }
            var next = bundle.Link.FirstOrDefault(l => l.Relation == "next")?.Url;
            if (next is null) return new SearchWalk(resourceType, pages, SearchWalkEnd.LastPage, null);
            if (pages.Count >= MaxPages) return new SearchWalk(resourceType, pages, SearchWalkEnd.PageLimit, next);
            if (!seenPages.Add(Api.Resolve(next).AbsoluteUri)) return new SearchWalk(resourceType, pages, SearchWalkEnd.RepeatedLink, next);
            response = await GetAsync(Api.Resolve(next).AbsoluteUri, cancellationToken);
            pages.Add(response);
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
