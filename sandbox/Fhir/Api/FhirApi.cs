using System.Globalization;
using System.Text;
using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir.Access;
using DemoHealthPlan.Sandbox.Fhir.Data;
using DemoHealthPlan.Sandbox.Fhir.Faults;
using DemoHealthPlan.Sandbox.Fhir.Search;
using DemoHealthPlan.Sandbox.Fhir.Variations;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Api;

/// <summary>
/// The FHIR interactions (read, vread, search, and the writes only the writes-allowed fault opens), free of HTTP so
/// they can be exercised directly. Failures are <see cref="FhirProblem"/>s.
/// </summary>
internal sealed class FhirApi(FhirResourceStore store, SandboxFaults faults, SandboxVariations variations, TimeProvider clock)
{
    public static IReadOnlyCollection<string> ResourceTypes => SearchParameterCatalog.ResourceTypes;

    public bool WritesAllowed => faults.IsOn("writes-allowed");

    public FhirResponse Read(FhirCaller caller, string type, string id, string? versionId = null)
    {
        RequireServedType(type);
        if (!caller.MayRead(type)) throw InsufficientScope(type, "read");
        var resource = ViewFor(caller).Find(type, id);
        if (resource is null || (versionId is not null && versionId != VersionOf(resource)))
            throw FhirProblem.NotFound(versionId is null ? $"{type}/{id} is not known to this server." : $"{type}/{id}/_history/{versionId} is not known to this server.");
        return FhirResponse.Ok(variations.IsOn("read-differs-in-meta-tag") ? Tagged(Served(resource)) : Served(resource), VersionHeaders(resource));
    }

    public FhirResponse Search(FhirCaller caller, string type, IEnumerable<KeyValuePair<string, string>> parameters, FhirUrls urls)
    {
        RequireServedType(type);
        if (!caller.MaySearch(type)) throw InsufficientScope(type, "search");
        var asked = parameters.ToList();
        var unknown = SearchFaults.UnknownParameters(type, asked, faults);
        asked = asked.Where(p => !unknown.Contains(p)).ToList();
        var unreadable = SearchFaults.UnreadableValues(type, asked, clock.GetUtcNow(), faults);
        var request = SearchRequest.Parse(type, asked.Where(p => !unreadable.Contains(p)), clock.GetUtcNow());
        var view = ViewFor(caller);

        var candidates = unreadable.Count > 0 ? [] : view.OfType(type);
        var matches = faults.IsOn("search-ignores-parameter")
            ? candidates.ToList()
            : SearchEngine.Matches(SearchFaults.Applied(request, faults), candidates);
        var page = request.CountOnly ? [] : matches.Skip(request.Offset).Take(request.Count).ToList();
        var included = SearchEngine.Included(SearchFaults.Including(request, faults), page, (t, id) => caller.MayRead(t) ? view.Find(t, id) : null);

        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString("N"),
            Meta = new Meta { LastUpdated = clock.GetUtcNow() },
            Type = Bundle.BundleType.Searchset,
            Total = matches.Count,
        };
        bundle.Link.AddRange(PageLinks(request, matches.Count, urls));
        bundle.Entry.AddRange(page.Select(r => Entry(r, Bundle.SearchEntryMode.Match, urls)));
        bundle.Entry.AddRange(included.Select(r => Entry(r, Bundle.SearchEntryMode.Include, urls)));
        if (variations.IsOn("searchset-outcome-entry")) bundle.Entry.Add(OutcomeEntry(type));
        return FhirResponse.Ok(bundle);
    }

    /// <summary>Information about how the search was processed, as a server may add to any searchset.</summary>
    private static Bundle.EntryComponent OutcomeEntry(string type) => new()
    {
        FullUrl = $"urn:uuid:{Guid.NewGuid()}",
        Resource = new OperationOutcome
        {
            Issue =
            [
                new OperationOutcome.IssueComponent
                {
                    Severity = OperationOutcome.IssueSeverity.Information,
                    Code = OperationOutcome.IssueType.Informational,
                    Diagnostics = $"{type} results are limited to the member's Patient compartment.",
                },
            ],
        },
        Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Outcome },
    };

    /// <summary>A copy with a workflow tag, which does not change what the resource means (nor its version).</summary>
    private static Resource Tagged(Resource resource)
    {
        var copy = (Resource)resource.DeepCopy();
        copy.Meta ??= new Meta();
        copy.Meta.Tag.Add(new Coding("http://terminology.hl7.org/CodeSystem/common-tags", "actionable", "Actionable"));
        return copy;
    }

    public FhirResponse Create(string type, string body, FhirUrls urls)
    {
        RequireServedType(type);
        RequireWritesAllowed("POST", null);
        var resource = ParseBody(type, body);
        resource.Id = Guid.NewGuid().ToString("N");
        Stamp(resource, "1");
        store.Put(resource);
        var headers = VersionHeaders(resource);
        headers["Location"] = $"{urls.ResourceUrl(type, resource.Id)}/_history/1";
        return new FhirResponse(201, resource, headers);
    }

    public FhirResponse Update(string type, string id, string body, FhirUrls urls)
    {
        RequireServedType(type);
        RequireWritesAllowed("PUT", id);
        var resource = ParseBody(type, body);
        if (resource.Id != id)
            throw FhirProblem.Invalid($"The body's id '{resource.Id}' does not match the URL's id '{id}'.");
        var previous = store.Find(type, id);
        var version = previous is null ? 1 : (int.TryParse(VersionOf(previous), out var v) ? v + 1 : 2);
        Stamp(resource, version.ToString(CultureInfo.InvariantCulture));
        store.Put(resource);
        var headers = VersionHeaders(resource);
        if (previous is null) headers["Location"] = $"{urls.ResourceUrl(type, id)}/_history/{version}";
        return new FhirResponse(previous is null ? 201 : 200, resource, headers);
    }

    public FhirResponse Delete(string type, string id)
    {
        RequireServedType(type);
        RequireWritesAllowed("DELETE", id);
        store.Remove(type, id);
        return new FhirResponse(204, null, new Dictionary<string, string>());
    }

    /// <summary>The methods a path accepts, for 405 answers.</summary>
    public string AllowedMethods(string? id) => (WritesAllowed, id) switch
    {
        (false, _) => "GET",
        (true, null) => "GET, POST",
        (true, _) => "GET, PUT, DELETE",
    };

    public FhirProblem MethodNotAllowed(string method, string? id) =>
        new(405, OperationOutcome.IssueType.NotSupported,
            $"{method} is not allowed here: this FHIR API is read-only (allowed: {AllowedMethods(id)}).")
        {
            Headers = new Dictionary<string, string> { ["Allow"] = AllowedMethods(id) },
        };

    private FhirView ViewFor(FhirCaller caller)
    {
        if (faults.IsOn("cross-patient-read")) return FhirView.Everything(store);
        var compartment = FhirView.PatientCompartment(store, caller.PatientId, clock.GetUtcNow());
        return variations.IsOn("other-member-organization-readable") ? compartment.WithEvery(store, "Organization") : compartment;
    }

    private Resource Served(Resource resource) => ServedResourceVariations.Apply(ServedResourceFaults.Apply(resource, faults, store), variations);

    private Bundle.EntryComponent Entry(Resource resource, Bundle.SearchEntryMode mode, FhirUrls urls) => new()
    {
        FullUrl = urls.ResourceUrl(resource.TypeName, resource.Id!),
        Resource = Served(resource),
        Search = new Bundle.SearchComponent { Mode = mode },
    };

    private IEnumerable<Bundle.LinkComponent> PageLinks(SearchRequest request, int total, FhirUrls urls)
    {
        string Url(int offset) => PageUrl(request, offset, urls);
        yield return new Bundle.LinkComponent { Relation = "self", Url = Url(request.Offset) };
        if (request.CountOnly) yield break;

        var lastOffset = total == 0 ? 0 : (total - 1) / request.Count * request.Count;
        yield return new Bundle.LinkComponent { Relation = "first", Url = Url(0) };
        if (request.Offset > 0)
            yield return new Bundle.LinkComponent { Relation = "previous", Url = Url(Math.Max(0, request.Offset - request.Count)) };
        if (faults.IsOn("paging-broken"))
            yield return new Bundle.LinkComponent { Relation = "next", Url = Url(request.Offset) };
        else if (request.Offset + request.Count < total)
            yield return new Bundle.LinkComponent { Relation = "next", Url = Url(request.Offset + request.Count) };
        yield return new Bundle.LinkComponent { Relation = "last", Url = Url(lastOffset) };
    }

    private static string PageUrl(SearchRequest request, int offset, FhirUrls urls)
    {
        var parameters = request.LinkParameters.ToList();
        parameters.Add(new("_count", request.Count.ToString(CultureInfo.InvariantCulture)));
        if (offset > 0) parameters.Add(new(SearchRequest.OffsetParameter, offset.ToString(CultureInfo.InvariantCulture)));
        var query = new StringBuilder();
        foreach (var (name, value) in parameters)
            query.Append(query.Length == 0 ? '?' : '&').Append(QueryEscape(name)).Append('=').Append(QueryEscape(value));
        return $"{urls.FhirBase}/{request.ResourceType}{query}";
    }

    // Keeps the characters FHIR queries are read with (':' '/' ',') legible; everything else is percent-encoded.
    private static string QueryEscape(string text) =>
        Uri.EscapeDataString(text).Replace("%3A", ":").Replace("%2F", "/").Replace("%2C", ",");

    private static void RequireServedType(string type)
    {
        if (!ResourceTypes.Contains(type))
            throw FhirProblem.NotFound($"Resource type '{type}' is not served here; this server serves {string.Join(", ", ResourceTypes)}.");
    }

    private void RequireWritesAllowed(string method, string? id)
    {
        if (!WritesAllowed) throw MethodNotAllowed(method, id);
    }

    private static Resource ParseBody(string type, string body)
    {
        if (!FhirJson.TryParse(body, out var resource, out var problem))
            throw FhirProblem.Invalid($"The request body is not a valid FHIR R4 JSON resource: {problem}");
        if (resource!.TypeName != type)
            throw FhirProblem.Invalid($"The request body is a {resource.TypeName}, but the URL names {type}.");
        return resource;
    }

    private void Stamp(Resource resource, string version)
    {
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = version;
        resource.Meta.LastUpdated = clock.GetUtcNow();
    }

    private static string VersionOf(Resource resource) => resource.Meta?.VersionId ?? "1";

    private static Dictionary<string, string> VersionHeaders(Resource resource)
    {
        var headers = new Dictionary<string, string> { ["ETag"] = $"W/\"{VersionOf(resource)}\"" };
        if (resource.Meta?.LastUpdated is { } updated) headers["Last-Modified"] = updated.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture);
        return headers;
    }

    private static FhirProblem InsufficientScope(string type, string interaction) =>
        new(403, OperationOutcome.IssueType.Forbidden, $"The access token's scopes do not allow {interaction} on {type}; it needs patient/{type}.read (or patient/*.read, or v2 patient/{type}.rs).")
        {
            Headers = new Dictionary<string, string>
            {
                ["WWW-Authenticate"] = $"Bearer error=\"insufficient_scope\", scope=\"patient/{type}.read\"",
            },
        };
}
