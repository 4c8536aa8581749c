using System.Text.Json.Nodes;
using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Tests.Auth;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

/// <summary>
/// Each FHIR fault changes exactly the observations it names, like <c>AuthFaultTests</c> for the authorization server:
/// the <see cref="FhirBattery"/> runs against a clean sandbox and against one sandbox per fault, and the faulty
/// observations must be the clean ones with just the named changes. OAuth faults that touch the token a FHIR client
/// uses must leave the battery as it is. slow-response is left to <see cref="FhirFaultTests"/>: it changes only timing.
/// </summary>
[NonParallelizable]
public class FhirFaultBatteryTests
{
    private Dictionary<Observation, string> _clean = null!;

    [OneTimeSetUp]
    public async Task ObserveACleanSandbox() => _clean = await ObserveAsync(faults: []);

    private static async Task<Dictionary<Observation, string>> ObserveAsync(string[] faults)
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: faults);
        var token = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut);
        return await FhirBattery.ObserveAsync(sandbox, token.AccessToken!);
    }

    private const string BelowFhirBase = "SMART configuration below the FHIR base";

    private static readonly Dictionary<string, Action<ExpectedObservations>> FhirFaults = new()
    {
        // The sandbox lets the missing token through as its first member, Jason: a search shows his compartment and a
        // delete is refused as read-only, like his own. A forged token is still refused.
        ["fhir-without-token"] = e =>
        {
            e.AnswersLike("search without a token", FhirBattery.SearchAll("Patient"));
            e.AnswersLike("delete without a token", "delete Coverage");
        },

        // The refusals of a missing or forged token lose their challenge; the member's 403 insufficient_scope keeps its own.
        ["401-without-challenge"] = e =>
        {
            foreach (var exchange in ExpectedObservations.FhirExchanges.Where(x => x.Token != BatteryToken.Member))
                if (e.CleanValue(exchange.Name, Facets.Challenge) is { } challenge && challenge != "(none)")
                    e.Set(exchange.Name, Facets.Challenge, "(none)");
        },

        // Every search and read sees the whole data set; the searches that matched only within Jason's compartment do not change.
        ["cross-patient-read"] = e =>
        {
            e.Reads("read another member's Patient", "Patient/amy-shaw");
            e.Reads("read another member's Coverage", "Coverage/coverage-amy-vision");
            e.Reads("read another member's payor", $"Organization/{FhirTestData.AmyOnlyPayor}");
            string[] allPatients = ["Patient/jason-argonaut", "Patient/jessica-argonaut", "Patient/amy-shaw", "Patient/kenji-tanaka"];
            var allCoverages = FhirTestData.AllCoverages.Select(id => $"Coverage/{id}").ToArray();
            string[] allOrganizations = ["Organization/demo-health-plan", "Organization/demo-dental-partners", $"Organization/{FhirTestData.AmyOnlyPayor}"];
            e.Finds(FhirBattery.SearchAll("Patient"), allPatients);
            e.Finds(FhirBattery.SearchAll("Coverage"), allCoverages);
            e.Finds(FhirBattery.SearchAll("Organization"), allOrganizations);
            e.Finds("search Patient by _id, matching none", "Patient/amy-shaw");
            e.Finds("search Patient by _lastUpdated", "Patient/jason-argonaut", "Patient/jessica-argonaut");
            e.Finds("search Patient by name", "Patient/jason-argonaut", "Patient/jessica-argonaut");
            e.Finds("search Coverage by _id, matching none", "Coverage/coverage-amy-medical");
            e.Finds("search Coverage by _profile", allCoverages);
            e.Finds("search Coverage by beneficiary, matching none", "Coverage/coverage-amy-medical", "Coverage/coverage-amy-vision");
            e.Finds("search Coverage by patient, matching none", "Coverage/coverage-kenji-medical");
            e.Finds("search Organization by _id, matching none", $"Organization/{FhirTestData.AmyOnlyPayor}");
            e.Finds("search Coverage with payors", allCoverages);
            e.Set("search Coverage with payors", Facets.Included, string.Join(", ", allOrganizations));
            e.Set("search Coverage 2 per page", Facets.Answer, $"Bundle searchset total={allCoverages.Length}");
            e.Set(FhirBattery.Walk, Facets.Visited, string.Join(" | ", allCoverages.Chunk(2).Select(page => string.Join(", ", page))));
            e.Set(FhirBattery.Walk, Facets.End, "ended after 4 pages");
        },

        ["writes-allowed"] = e =>
        {
            e.Set("create Coverage", Facets.Status, "201");
            e.Changes("create Coverage", Facets.Answer, Facets.Served); // a new Coverage under a new id
            e.Set("update Patient", Facets.Status, "200");
            e.Set("update Patient", Facets.Answer, "Patient/jason-argonaut");
            e.Changes("update Patient", Facets.Served); // version 2, updated now
            e.Set("delete Coverage", Facets.Status, "204");
            e.Set("delete Coverage", Facets.ContentType, "(none)");
            e.Set("delete Coverage", Facets.Body, "empty");
            e.Set("delete Coverage", Facets.Answer, null);
        },

        ["coverage-missing-beneficiary"] = e => e.EveryServed("Coverage", coverage => coverage.Remove("beneficiary")),
        ["patient-invalid-gender"] = e => e.EveryServed("Patient", patient => patient["gender"] = "invalid-gender"),
        ["organization-missing-name"] = e => e.EveryServed("Organization", organization => organization.Remove("name")),
        // Only a Coverage whose beneficiary is its subscriber changes: Jason's own name Amy Shaw, the stranger before him.
        ["coverage-subscriber-other-member"] = e => e.EveryServed("Coverage", coverage =>
        {
            if ((string?)coverage["subscriber"]?["reference"] == "Patient/jason-argonaut" && (string?)coverage["beneficiary"]?["reference"] == "Patient/jason-argonaut")
                coverage["subscriber"] = new JsonObject { ["reference"] = "Patient/amy-shaw" };
        }),
        // Only Coverage.payor changes: the same Organization, named on another payer's server.
        ["reference-to-other-server"] = e => e.EveryServed("Coverage", coverage =>
        {
            foreach (var payor in coverage["payor"]!.AsArray())
                payor!["reference"] = "https://other-payer.example/fhir/" + (string?)payor["reference"];
        }),

        // A filtering search answers like the same search without criteria: the whole compartment.
        ["search-ignores-parameter"] = e =>
        {
            foreach (var search in FhirBattery.Exchanges.Where(x => x.Filters))
                e.AnswersLike(search.Name, FhirBattery.SearchAll(search.SearchedType!));
        },

        // The battery searches by one parameter at a time (a ge/le pair counts as one): nothing it observes changes.
        ["search-ignores-second-parameter"] = _ => { },

        // The battery includes only the payors: nothing it observes changes.
        ["include-beneficiary-missing"] = _ => { },

        // The battery sends only values the parameters can read: nothing it observes changes.
        ["invalid-search-value-accepted"] = _ => { },

        // The battery sends only parameters the server knows: nothing it observes changes.
        ["strict-handling-ignored"] = _ => { },

        // Every next link leads back to the page it is on (the first, for every search here), and paging never ends.
        ["paging-broken"] = e =>
        {
            foreach (var search in e.ExchangesWith(Facets.Next)) e.Set(search, Facets.Next, "offset 0");
            var firstPage = e.CleanValue(FhirBattery.Walk, Facets.Visited)!.Split(" | ")[0];
            e.Set(FhirBattery.Walk, Facets.Visited, string.Join(" | ", Enumerable.Repeat(firstPage, 5)));
            e.Set(FhirBattery.Walk, Facets.End, "no end after 5 pages");
        },

        ["wrong-content-type"] = e =>
        {
            foreach (var exchange in ExpectedObservations.FhirExchanges.Where(x => !x.FollowsNextLinks))
                e.Set(exchange.Name, Facets.ContentType, "text/html; charset=utf-8");
        },

        ["malformed-json"] = e =>
        {
            foreach (var exchange in ExpectedObservations.FhirExchanges.Where(x => !x.FollowsNextLinks))
            {
                foreach (var facet in Facets.OfTheBody) e.Set(exchange.Name, facet, null);
                e.Set(exchange.Name, Facets.Body, "not JSON");
            }
            e.Set(FhirBattery.Walk, Facets.Visited, "nothing");
            e.Set(FhirBattery.Walk, Facets.End, "page 1 was 200 without a JSON body");
        },

        // Every FHIR answer is the same 500 OperationOutcome (authentication included); discovery is no FHIR interaction.
        ["server-error"] = e =>
        {
            foreach (var exchange in ExpectedObservations.FhirExchanges.Where(x => !x.FollowsNextLinks))
            {
                foreach (var facet in Facets.OfTheBody) e.Set(exchange.Name, facet, null);
                e.Set(exchange.Name, Facets.Status, "500");
                e.Set(exchange.Name, Facets.Challenge, "(none)");
                e.Set(exchange.Name, Facets.Body, "JSON");
                e.Set(exchange.Name, Facets.Answer, "OperationOutcome error exception");
            }
            e.Set(FhirBattery.Walk, Facets.Visited, "nothing");
            e.Set(FhirBattery.Walk, Facets.End, "page 1 was 500");
        },

        // Only the document a SMART client reads below the FHIR base changes; the root one and the FHIR API stay.
        ["smart-configuration-fhir-json"] = e => e.Set(BelowFhirBase, Facets.ContentType, "application/fhir+json; charset=utf-8"),

        ["smart-configuration-missing-fields"] = e =>
        {
            var document = JsonNode.Parse(e.CleanValue(BelowFhirBase, Facets.Answer)!)!.AsObject();
            document.Remove("grant_types_supported");
            e.Set(BelowFhirBase, Facets.Answer, document.ToJsonString());
        },

        ["smart-configuration-jwks-plain-http"] = e =>
        {
            var document = JsonNode.Parse(e.CleanValue(BelowFhirBase, Facets.Answer)!)!.AsObject();
            document["jwks_uri"] = "http://keys.demo-health-plan.example/.well-known/jwks";
            e.Set(BelowFhirBase, Facets.Answer, document.ToJsonString());
        },
    };

    /// <summary>OAuth faults in the token response a FHIR client reads: the access token itself must still open the API.</summary>
    private static readonly string[] OAuthFaultsSparingTheFhirApi = ["token-missing-patient", "token-type-not-bearer"];

    private static IEnumerable<TestCaseData> FhirFaultNames => FhirFaults.Keys.Select(FaultTests.Case);

    private static IEnumerable<TestCaseData> OAuthFaultNames => OAuthFaultsSparingTheFhirApi.Select(FaultTests.Case);

    /// <summary>
    /// Faults neither battery's probes can observe (a PKCE verifier, an aud, id_token claims, a narrower token's reach, a token past its lifetime, refresh requests):
    /// each has its own sandbox tests, which name it (FaultCoverageTests makes sure of that).
    /// </summary>
    private static readonly string[] FaultsWithTheirOwnTests =
    [
        "aud-not-checked", "pkce-not-verified", "pkce-plain-accepted",
        "idtoken-iat-in-future", "idtoken-wrong-azp", "idtoken-nonce-not-echoed", "scope-not-enforced", "access-token-never-expires",
        "fhiruser-other-server", "v2-scopes-refused",
        "refresh-without-scope-refused", "refresh-narrower-scope-ignored", "refresh-scope-wider", "refresh-response-cacheable", "refresh-bad-token-wrong-error",
    ];

    [Test]
    public void Every_fault_outside_the_oauth_battery_but_slow_response_is_in_this_one()
    {
        var notInTheOAuthBattery = SandboxFaults.Known.Keys.Except(AuthFaultTests.FaultsInTheBattery).Except(FaultsWithTheirOwnTests);
        Assert.That(FhirFaults.Keys.Append("slow-response"), Is.EquivalentTo(notInTheOAuthBattery));
    }

    [Test]
    public void A_clean_sandbox_shows_a_conformant_fhir_api_to_the_battery()
    {
        string Clean(string exchange, string facet) => _clean[new Observation(exchange, facet)];
        Assert.Multiple(() =>
        {
            foreach (var discovery in FhirBattery.Exchanges.Where(e => e.IsDiscovery))
                Assert.That((Clean(discovery.Name, Facets.Status), Clean(discovery.Name, Facets.Body)), Is.EqualTo(("200", "JSON")), discovery.Name);
            foreach (var exchange in FhirBattery.Exchanges.Where(e => e.IsFhir && !e.FollowsNextLinks))
            {
                Assert.That(Clean(exchange.Name, Facets.ContentType), Is.EqualTo("application/fhir+json; charset=utf-8"), exchange.Name);
                Assert.That(Clean(exchange.Name, Facets.Body), Is.EqualTo("JSON"), exchange.Name);
            }
            foreach (var search in FhirBattery.Exchanges.Where(e => e.Filters))
                Assert.That(Clean(search.Name, Facets.Matches), search.Name.EndsWith(", matching none") ? Is.EqualTo("none") : Is.Not.EqualTo("none"), search.Name);
            foreach (var refused in new[] { "read another member's Patient", "read another member's Coverage", "read another member's payor" })
                Assert.That(Clean(refused, Facets.Status), Is.EqualTo("404"), refused);
            foreach (var refused in new[] { "search without a token", "search with a forged token", "delete without a token" })
            {
                Assert.That(Clean(refused, Facets.Status), Is.EqualTo("401"), refused);
                Assert.That(Clean(refused, Facets.Challenge), Does.StartWith("Bearer"), refused);
            }
            foreach (var write in new[] { "create Coverage", "update Patient", "delete Coverage" })
                Assert.That(Clean(write, Facets.Status), Is.EqualTo("405"), write);
            Assert.That(Clean(FhirBattery.Walk, Facets.End), Is.EqualTo("ended after 2 pages"));
            Assert.That(Clean(FhirBattery.Walk, Facets.Visited), Is.EqualTo(
                "Coverage/coverage-jason-medical, Coverage/coverage-jason-medical-2025 | Coverage/coverage-jason-dental, Coverage/coverage-jessica-medical"));
            Assert.That(Clean("search Organization", Facets.Matches), Is.EqualTo("Organization/demo-health-plan, Organization/demo-dental-partners"));
        });
    }

    [TestCaseSource(nameof(FhirFaultNames))]
    public async Task A_fhir_fault_changes_exactly_the_observations_it_names(string fault)
    {
        var expected = new ExpectedObservations(_clean);
        FhirFaults[fault](expected);
        var observed = await ObserveAsync([fault]);
        var mismatches = expected.Mismatches(observed);
        Assert.That(mismatches, Is.Empty, string.Join(Environment.NewLine, mismatches));
    }

    [TestCaseSource(nameof(OAuthFaultNames))]
    public async Task An_oauth_fault_in_the_token_response_leaves_the_fhir_battery_unchanged(string fault)
    {
        var mismatches = new ExpectedObservations(_clean).Mismatches(await ObserveAsync([fault]));
        Assert.That(mismatches, Is.Empty, string.Join(Environment.NewLine, mismatches));
    }
}

/// <summary>
/// What a faulty sandbox's battery must show: the clean observations, except where the expectation says otherwise
/// (a new value, absent, or merely different from the clean one when the new value is not worth predicting).
/// </summary>
internal sealed class ExpectedObservations(IReadOnlyDictionary<Observation, string> clean)
{
    private readonly Dictionary<Observation, string?> _values = clean.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
    private readonly HashSet<Observation> _changed = [];

    public static IEnumerable<BatteryExchange> FhirExchanges => FhirBattery.Exchanges.Where(e => e.IsFhir);

    public string? CleanValue(string exchange, string facet) => clean.GetValueOrDefault(new Observation(exchange, facet));

    /// <summary>Null: the facet must be absent.</summary>
    public void Set(string exchange, string facet, string? value) => _values[new Observation(exchange, facet)] = value;

    public void Changes(string exchange, params string[] facets)
    {
        foreach (var facet in facets) _changed.Add(new Observation(exchange, facet));
    }

    /// <summary>The exchange answers exactly as <paramref name="model"/> did in the clean sandbox.</summary>
    public void AnswersLike(string exchange, string model)
    {
        foreach (var key in _values.Keys.Where(k => k.Exchange == exchange).ToList()) _values[key] = null;
        foreach (var (key, value) in clean.Where(kv => kv.Key.Exchange == model)) _values[key with { Exchange = exchange }] = value;
    }

    /// <summary>The exchange answers 200 with the resource <paramref name="reference"/> (whose content is not predicted here).</summary>
    public void Reads(string exchange, string reference)
    {
        Set(exchange, Facets.Status, "200");
        Set(exchange, Facets.Answer, reference);
        Changes(exchange, Facets.Served);
    }

    /// <summary>The search finds exactly <paramref name="matches"/> (Type/id, in order), and so serves other resources than before.</summary>
    public void Finds(string exchange, params string[] matches)
    {
        Set(exchange, Facets.Answer, $"Bundle searchset total={matches.Length}");
        Set(exchange, Facets.Matches, matches.Length == 0 ? "none" : string.Join(", ", matches));
        Changes(exchange, Facets.Served);
    }

    /// <summary>Every served resource of <paramref name="type"/>, wherever the clean battery saw one, spoiled by <paramref name="spoil"/> and otherwise the same.</summary>
    public void EveryServed(string type, Action<JsonObject> spoil)
    {
        var touched = 0;
        foreach (var (key, value) in clean.Where(kv => kv.Key.Facet == Facets.Served))
        {
            var served = JsonNode.Parse(value)!;
            var resources = served is JsonArray array ? array.OfType<JsonObject>().ToList() : [served.AsObject()];
            var ofType = resources.Where(r => (string?)r["resourceType"] == type).ToList();
            if (ofType.Count == 0) continue;
            ofType.ForEach(spoil);
            _values[key] = served.ToJsonString();
            touched++;
        }
        if (touched == 0) throw new InvalidOperationException($"The clean battery served no {type}: nothing to expect a change of.");
    }

    /// <summary>The exchanges whose clean observations include <paramref name="facet"/>.</summary>
    public IEnumerable<string> ExchangesWith(string facet) => clean.Keys.Where(k => k.Facet == facet).Select(k => k.Exchange).ToList();

    public List<string> Mismatches(IReadOnlyDictionary<Observation, string> observed)
    {
        var problems = new List<string>();
        foreach (var key in _values.Keys.Concat(observed.Keys).Concat(_changed).Distinct().OrderBy(Order))
        {
            var got = observed.GetValueOrDefault(key);
            var before = clean.GetValueOrDefault(key);
            if (_changed.Contains(key))
            {
                if (got == before) problems.Add($"{key}: should have changed, but is still {Show(got)}");
            }
            else if (_values.GetValueOrDefault(key) is var want && got != want)
            {
                problems.Add(want is not null && got is not null && Math.Max(want.Length, got.Length) > ShownLength
                    ? $"{key}: {Differing(want, got)}"
                    : $"{key}: expected {Show(want)}, observed {Show(got)}{(want == before ? "" : $" (clean: {Show(before)})")}");
            }
        }
        return problems;
    }

    private static int Order(Observation key) =>
        FhirBattery.Exchanges.Select((e, i) => (e, i)).FirstOrDefault(x => x.e.Name == key.Exchange).i;

    private const int ShownLength = 300;

    private static string Show(string? value) =>
        value is null ? "(absent)" : value.Length > ShownLength ? $"\"{value[..ShownLength]}…\"" : $"\"{value}\"";

    /// <summary>Long values (served JSON) shown around their first difference.</summary>
    private static string Differing(string want, string got)
    {
        var at = 0;
        while (at < want.Length && at < got.Length && want[at] == got[at]) at++;
        string Around(string text) => $"…{text[Math.Max(0, at - 80)..Math.Min(text.Length, at + 80)]}…";
        return $"differs at character {at}: expected {Around(want)}, observed {Around(got)}";
    }
}
