using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DemoHealthPlan.Sandbox.Fhir.Data;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

/// <summary>One thing the battery saw: one facet (status, content type, ...) of one exchange.</summary>
internal readonly record struct Observation(string Exchange, string Facet)
{
    public override string ToString() => $"{Exchange} · {Facet}";
}

/// <summary>The facets of an exchange. The body's facets are read from its JSON, never from a FHIR parser, so each stays independent.</summary>
internal static class Facets
{
    public const string Status = "status";
    public const string ContentType = "content type";
    public const string Challenge = "challenge";
    public const string Body = "body";

    /// <summary>What the JSON is: "Bundle searchset total=4", "Patient/jason-argonaut", "OperationOutcome error not-found", or, for non-FHIR JSON, the JSON itself.</summary>
    public const string Answer = "answer";

    /// <summary>A Bundle's entries in search mode match / include, as Type/id.</summary>
    public const string Matches = "matches";

    public const string Included = "included";

    /// <summary>A Bundle's next link, as the offset it leads to, or "none".</summary>
    public const string Next = "next";

    /// <summary>The resources served (a Bundle's entry resources, or the one resource read), as JSON.</summary>
    public const string Served = "served";

    /// <summary>Of the walk along next links: the matches page by page, and how the walk ended.</summary>
    public const string Visited = "visited";

    public const string End = "end";

    public static readonly string[] OfTheBody = [Body, Answer, Matches, Included, Next, Served];
}

internal enum BatteryToken { Member, None, Forged }

/// <summary>One request of the battery. Discovery requests are not FHIR interactions (the FHIR faults must spare them).</summary>
internal sealed record BatteryExchange(string Name, HttpMethod Method, string Path, BatteryToken Token = BatteryToken.Member, bool IsDiscovery = false)
{
    /// <summary>For searches: the type searched, and whether the query filters (a search-ignores-parameter sandbox ignores it).</summary>
    public string? SearchedType { get; init; }

    public bool Filters { get; init; }

    public Func<string>? Body { get; init; }

    /// <summary>Pages through the search by its next links, observed as the matches page by page and how the walk ended.</summary>
    public bool FollowsNextLinks { get; init; }

    public bool IsFhir => !IsDiscovery;
}

/// <summary>
/// A fixed battery of FHIR exchanges over real HTTP with Test Member 1's token, each reduced to observations (status,
/// content type, challenge, body, answer, matches, included, next link, served resources). Taken from a clean sandbox
/// and from a sandbox with one fault, the two show exactly what the fault changes. Writes come last, so that a sandbox
/// that lets them through has changed nothing the earlier exchanges saw.
/// </summary>
internal static class FhirBattery
{
    public const string Walk = "Coverage 2 per page, next links followed";
    private const int WalkPageLimit = 5;
    private const string ForgedToken = "not-a-token";

    /// <summary>Per C4DIC-required search parameter: a value matching some of the member's resources and one matching none of them.</summary>
    private static readonly (string Type, string Parameter, string Matching, string MatchingNone)[] RequiredParameters =
    [
        ("Patient", "_id", "jason-argonaut", "amy-shaw"),
        ("Patient", "_lastUpdated", "2026-01-05", "lt2026-01-01"),
        ("Patient", "identifier", "https://demo-health-plan.example/fhir/sid/member-id|08-testmemid", "http://example.org/other|08-testmemid"),
        ("Patient", "name", "argonaut", "nobody"),
        ("Coverage", "_id", "coverage-jason-dental", "coverage-amy-medical"),
        ("Coverage", "_profile", FhirTestData.C4dicCoverage, "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"),
        ("Coverage", "_lastUpdated", "2026-01-06", "lt2025-01-01"),
        ("Coverage", "beneficiary", "Patient/jessica-argonaut", "Patient/amy-shaw"),
        ("Coverage", "subscriber", "Patient/jason-argonaut", "Patient/jessica-argonaut"),
        ("Coverage", "patient", "Patient/jason-argonaut", "Patient/kenji-tanaka"),
        ("Coverage", "identifier", "https://demo-health-plan.example/fhir/sid/member-id|08-testmemid-02", "https://demo-health-plan.example/fhir/sid/member-id|no-such-member"),
        ("Coverage", "period", "2025", "2019"),
        ("Coverage", "status", "cancelled", "draft"),
        ("Organization", "_id", "demo-dental-partners", FhirTestData.AmyOnlyPayor),
    ];

    public static IReadOnlyList<BatteryExchange> Exchanges { get; } = BuildExchanges();

    public static string SearchAll(string type) => $"search {type}";

    private static List<BatteryExchange> BuildExchanges()
    {
        var get = HttpMethod.Get;
        var exchanges = new List<BatteryExchange>
        {
            new("SMART configuration", get, ".well-known/smart-configuration", BatteryToken.None, IsDiscovery: true),
            new("SMART configuration below the FHIR base", get, "r4/.well-known/smart-configuration", BatteryToken.None, IsDiscovery: true),
            new("metadata", get, "r4/metadata", BatteryToken.None),
            new("read Patient", get, "r4/Patient/jason-argonaut"),
            new("read Coverage", get, "r4/Coverage/coverage-jason-medical"),
            new("read Organization", get, "r4/Organization/demo-health-plan"),
        };
        foreach (var type in new[] { "Patient", "Coverage", "Organization" })
            exchanges.Add(new(SearchAll(type), get, $"r4/{type}") { SearchedType = type });
        foreach (var (type, parameter, matching, matchingNone) in RequiredParameters)
        {
            exchanges.Add(new($"search {type} by {parameter}", get, $"r4/{type}?{parameter}={Uri.EscapeDataString(matching)}") { SearchedType = type, Filters = true });
            exchanges.Add(new($"search {type} by {parameter}, matching none", get, $"r4/{type}?{parameter}={Uri.EscapeDataString(matchingNone)}") { SearchedType = type, Filters = true });
        }
        exchanges.AddRange(
        [
            new("search Coverage with payors", get, "r4/Coverage?_include=Coverage:payor") { SearchedType = "Coverage" },
            new("search Coverage 2 per page", get, "r4/Coverage?_count=2") { SearchedType = "Coverage" },
            new(Walk, get, "r4/Coverage?_count=2") { FollowsNextLinks = true },
            new("read another member's Patient", get, "r4/Patient/amy-shaw"),
            new("read another member's Coverage", get, "r4/Coverage/coverage-amy-vision"),
            new("read another member's payor", get, $"r4/Organization/{FhirTestData.AmyOnlyPayor}"),
            new("search without a token", get, "r4/Patient", BatteryToken.None),
            new("search with a forged token", get, "r4/Patient", BatteryToken.Forged),
            new("delete without a token", HttpMethod.Delete, "r4/Coverage/coverage-jason-dental", BatteryToken.None),
            new("create Coverage", HttpMethod.Post, "r4/Coverage") { Body = () => ShippedJson("Coverage", "coverage-jason-dental", withoutId: true) },
            new("update Patient", HttpMethod.Put, "r4/Patient/jason-argonaut") { Body = () => ShippedJson("Patient", "jason-argonaut", withoutId: false) },
            new("delete Coverage", HttpMethod.Delete, "r4/Coverage/coverage-jason-dental"),
        ]);
        return exchanges;
    }

    /// <summary>Runs every exchange in order against <paramref name="sandbox"/>.</summary>
    public static async Task<Dictionary<Observation, string>> ObserveAsync(TestSandbox sandbox, string memberToken)
    {
        var baseUrl = sandbox.Endpoints.BaseUrl;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var observations = new Dictionary<Observation, string>();
        foreach (var exchange in Exchanges)
        {
            var token = exchange.Token switch { BatteryToken.Member => memberToken, BatteryToken.Forged => ForgedToken, _ => null };
            if (exchange.FollowsNextLinks)
            {
                await WalkAsync(http, new Uri(baseUrl, exchange.Path), token, observations);
                continue;
            }
            var reply = await SendAsync(http, exchange.Method, new Uri(baseUrl, exchange.Path), token, exchange.Body?.Invoke());
            foreach (var (facet, value) in Describe(reply, baseUrl))
                observations[new Observation(exchange.Name, facet)] = value;
        }
        return observations;
    }

    /// <summary>Follows next links from the first page, as a client pages through a search, up to a limit.</summary>
    private static async Task WalkAsync(HttpClient http, Uri url, string? token, Dictionary<Observation, string> observations)
    {
        var pages = new List<string>();
        string end;
        while (true)
        {
            var reply = await SendAsync(http, HttpMethod.Get, url, token, null);
            var bundle = reply.Status == HttpStatusCode.OK ? TryJson(reply.Body) : null;
            if (bundle is null)
            {
                end = $"page {pages.Count + 1} was {(int)reply.Status} {(reply.Status == HttpStatusCode.OK ? "without a JSON body" : "")}".Trim();
                break;
            }
            pages.Add(EntryIds(bundle, "match"));
            if (NextLink(bundle) is not { } next)
            {
                end = $"ended after {pages.Count} pages";
                break;
            }
            if (pages.Count == WalkPageLimit)
            {
                end = $"no end after {WalkPageLimit} pages";
                break;
            }
            url = new Uri(next);
        }
        observations[new Observation(Walk, Facets.Visited)] = pages.Count == 0 ? "nothing" : string.Join(" | ", pages);
        observations[new Observation(Walk, Facets.End)] = end;
    }

    private sealed record RawReply(HttpStatusCode Status, string? ContentType, string? Challenge, string Body);

    private static async Task<RawReply> SendAsync(HttpClient http, HttpMethod method, Uri url, string? token, string? json)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, FhirJson.MediaType);
        using var response = await http.SendAsync(request);
        var challenge = response.Headers.WwwAuthenticate.Count == 0 ? null : response.Headers.WwwAuthenticate.ToString();
        return new RawReply(response.StatusCode, response.Content.Headers.ContentType?.ToString(), challenge, await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<(string Facet, string Value)> Describe(RawReply reply, Uri baseUrl)
    {
        yield return (Facets.Status, ((int)reply.Status).ToString());
        yield return (Facets.ContentType, reply.ContentType ?? "(none)");
        yield return (Facets.Challenge, reply.Challenge ?? "(none)");
        if (reply.Body.Length == 0)
        {
            yield return (Facets.Body, "empty");
            yield break;
        }
        if (TryJson(reply.Body) is not { } json)
        {
            yield return (Facets.Body, "not JSON");
            yield break;
        }
        yield return (Facets.Body, "JSON");

        // The port differs from sandbox to sandbox; the rest of a URL is what counts.
        string Canonical(JsonNode? node) => node?.ToJsonString().Replace(baseUrl.AbsoluteUri.TrimEnd('/'), "{base}") ?? "null";
        var resourceType = (string?)json["resourceType"];
        switch (resourceType)
        {
            case null:
                yield return (Facets.Answer, Canonical(json));
                break;
            case "Bundle":
                yield return (Facets.Answer, $"Bundle {json["type"]} total={json["total"]}");
                yield return (Facets.Matches, EntryIds(json, "match"));
                yield return (Facets.Included, EntryIds(json, "include"));
                yield return (Facets.Next, NextLink(json) is { } next ? $"offset {Offset(next)}" : "none");
                yield return (Facets.Served, Canonical(new JsonArray(Entries(json).Select(e => e["resource"]?.DeepClone()).ToArray())));
                break;
            case "OperationOutcome":
                var issue = json["issue"]?[0];
                yield return (Facets.Answer, $"OperationOutcome {issue?["severity"]} {issue?["code"]}");
                break;
            default:
                yield return (Facets.Answer, json["id"] is { } id ? $"{resourceType}/{id}" : resourceType);
                yield return (Facets.Served, Canonical(json));
                break;
        }
    }

    private static JsonObject? TryJson(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<JsonObject> Entries(JsonObject bundle) =>
        bundle["entry"]?.AsArray().OfType<JsonObject>() ?? [];

    private static string EntryIds(JsonObject bundle, string mode)
    {
        var ids = Entries(bundle).Where(e => (string?)e["search"]?["mode"] == mode)
            .Select(e => $"{e["resource"]?["resourceType"]}/{e["resource"]?["id"]}")
            .ToList();
        return ids.Count == 0 ? "none" : string.Join(", ", ids);
    }

    private static string? NextLink(JsonObject bundle) =>
        bundle["link"]?.AsArray().OfType<JsonObject>().Where(l => (string?)l["relation"] == "next").Select(l => (string?)l["url"]).FirstOrDefault();

    private static string Offset(string url) =>
        QueryHelpers.ParseQuery(new Uri(url).Query).TryGetValue("_getpagesoffset", out var offset) ? offset.ToString() : "0";

    private static string ShippedJson(string type, string id, bool withoutId)
    {
        var resource = FhirTestData.LoadShipped().Find(type, id)!; // a fresh load: changing it touches no other test
        if (withoutId) resource.Id = null;
        return FhirJson.Serialize(resource);
    }
}
