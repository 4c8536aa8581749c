using Hl7.Fhir.Model;

namespace DigitalInsurance.Conformance.Support.Fhir;

/// <summary>One entry of a searchset page: its resource and how the server marked it (match, include, or not at all).</summary>
public sealed record SearchEntry(Resource Resource, Bundle.SearchEntryMode? Mode, int Page)
{
    public string Reference => $"{Resource.TypeName}/{Resource.Id}";
}

/// <summary>
/// A search walked page by page through its next links, keeping every page apart, so that checks can see what each page
/// held. Unlike <see cref="FhirConversation.SearchAsync"/> it does not stop at a repeated link: it keeps following,
/// up to <see cref="FhirConversation.MaxPages"/> pages, so that a server paging in circles shows its repeats.
/// </summary>
public sealed class PagedSearch
{
    private PagedSearch(string request, IReadOnlyList<IReadOnlyList<SearchEntry>> pages, IReadOnlyList<Uri> pageUris, IReadOnlyList<FhirResponse> responses, bool hasMore)
    {
        Request = request;
        Pages = pages;
        PageUris = pageUris;
        Responses = responses;
        StoppedWithNextLink = hasMore;
    }

    public string Request { get; }
    public IReadOnlyList<IReadOnlyList<SearchEntry>> Pages { get; }
    public IReadOnlyList<Uri> PageUris { get; }

    /// <summary>Every answer the walk got, in order; the last may be no Bundle, which ended the walk.</summary>
    public IReadOnlyList<FhirResponse> Responses { get; }

    /// <summary>The last page read still had a next link: the server had not finished after <see cref="FhirConversation.MaxPages"/> pages.</summary>
    public bool StoppedWithNextLink { get; }

    public IEnumerable<SearchEntry> Entries => Pages.SelectMany(p => p);

    /// <summary>Entries the server returned as matches (marked match, or not marked).</summary>
    public IEnumerable<SearchEntry> Matches => Entries.Where(e => e.Mode != Bundle.SearchEntryMode.Include);

    /// <summary>Follows next links while each answer is a Bundle (each page's verdict is for the rules: SearchRules).</summary>
    public static async Task<PagedSearch> WalkAsync(FhirConversation fhir, string request, CancellationToken cancellationToken = default)
    {
        var pages = new List<IReadOnlyList<SearchEntry>>();
        var uris = new List<Uri>();
        var responses = new List<FhirResponse>();
        string? next = request;
        while (next is not null && pages.Count < FhirConversation.MaxPages)
        {
            var response = await fhir.GetAsync(next, cancellationToken);
            responses.Add(response);
            if (response.Resource is not Bundle bundle) return new PagedSearch(request, pages, uris, responses, hasMore: false);
            uris.Add(response.RequestUri);
            var page = pages.Count + 1;
            // A server's notes on the search (search.mode = outcome, FHIR R4 3.1.1.4) are neither matches nor included resources.
            pages.Add(bundle.Entry.Where(e => e.Resource is not null && e.Search?.Mode != Bundle.SearchEntryMode.Outcome)
                .Select(e => new SearchEntry(e.Resource!, e.Search?.Mode, page)).ToList());
            next = bundle.Link.FirstOrDefault(l => l.Relation == "next")?.Url;
        }
        return new PagedSearch(request, pages, uris, responses, next is not null);
    }
}
