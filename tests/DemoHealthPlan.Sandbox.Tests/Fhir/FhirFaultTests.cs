using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DemoHealthPlan.Sandbox.Fhir.Data;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using Hl7.Fhir.Model;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

/// <summary>
/// Each FHIR fault switch, on its own in a fresh sandbox: it must break exactly the rule it names, and the
/// neighbouring behaviour must stay as it is without it (compare <see cref="FhirHttpTests"/>).
/// </summary>
[NonParallelizable]
public class FhirFaultTests
{
    private static async Task<(TestSandbox Sandbox, FhirHttp Jason)> StartAsync(string fault, IReadOnlyDictionary<string, string?>? settings = null, bool withToken = true)
    {
        var sandbox = await TestSandbox.StartAsync(faults: [fault], settings: settings);
        var token = withToken ? (await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut)).AccessToken : null;
        return (sandbox, new FhirHttp(sandbox.Endpoints.FhirBaseUrl, token));
    }

    private static FhirHttp Anonymous(TestSandbox sandbox, TimeSpan? timeout = null) => new(sandbox.Endpoints.FhirBaseUrl, null, timeout);

    private static IEnumerable<JsonObject> EntryResources(FhirReply reply) =>
        reply.Json["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject());

    /// <summary>Ids of the matches, read from the JSON (a spoiled resource may not parse as FHIR, which is the point).</summary>
    private static List<string> MatchIds(FhirReply reply) =>
        reply.Json["entry"]!.AsArray().Where(e => (string?)e!["search"]!["mode"] == "match").Select(e => (string)e!["resource"]!["id"]!).ToList();

    [Test, FaultTest("fhir-without-token")]
    public async System.Threading.Tasks.Task Fhir_without_token_serves_the_first_members_compartment_to_anyone()
    {
        var (sandbox, _) = await StartAsync("fhir-without-token", withToken: false);
        await using var _s = sandbox;
        using var anonymous = Anonymous(sandbox);
        var patients = await anonymous.GetAsync("Patient");
        Assert.That(patients.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(DirectFhir.Matches(patients.Bundle), Is.EqualTo(new[] { "jason-argonaut" }));
        Assert.That(DirectFhir.Matches((await anonymous.GetAsync("Coverage")).Bundle), Is.EqualTo(FhirTestData.JasonCoverages));
        // Only the missing token is let through: a bad one is still refused, and the compartment still holds.
        using var forged = new FhirHttp(sandbox.Endpoints.FhirBaseUrl, "not-a-token");
        Assert.That((await forged.GetAsync("Patient")).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await anonymous.GetAsync("Patient/amy-shaw")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test, FaultTest("401-without-challenge")]
    public async System.Threading.Tasks.Task Refusals_without_challenge_are_still_401_but_lack_WWW_Authenticate()
    {
        var (sandbox, jason) = await StartAsync("401-without-challenge");
        await using var _s = sandbox;
        using var _j = jason;
        using var anonymous = Anonymous(sandbox);
        using var forged = new FhirHttp(sandbox.Endpoints.FhirBaseUrl, "not-a-token");
        foreach (var refused in new[] { await anonymous.GetAsync("Patient"), await forged.GetAsync("Coverage") })
        {
            Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(refused.Headers.WwwAuthenticate, Is.Empty);
            Assert.That(refused.Outcome.Issue, Has.Count.EqualTo(1));
        }
        // A valid token still reads the member's own records.
        Assert.That((await jason.GetAsync("Patient/jason-argonaut")).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test, FaultTest("cross-patient-read")]
    public async System.Threading.Tasks.Task Cross_patient_read_serves_other_members_resources()
    {
        var (sandbox, jason) = await StartAsync("cross-patient-read");
        await using var _s = sandbox;
        using var _j = jason;
        Assert.That((await jason.GetAsync("Patient/amy-shaw")).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(DirectFhir.Matches((await jason.GetAsync("Coverage")).Bundle), Is.EqualTo(FhirTestData.AllCoverages));
        Assert.That(DirectFhir.Matches((await jason.GetAsync("Patient")).Bundle), Has.Count.EqualTo(4));
        // Searches still filter, tokens are still required, writes are still refused.
        Assert.That(DirectFhir.Matches((await jason.GetAsync("Coverage?beneficiary=Patient/amy-shaw")).Bundle), Is.EqualTo(FhirTestData.AmyCoverages));
        using var anonymous = Anonymous(sandbox);
        Assert.That((await anonymous.GetAsync("Patient/amy-shaw")).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await jason.SendJsonAsync(HttpMethod.Delete, "Patient/amy-shaw", null)).Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }

    [Test, FaultTest("writes-allowed")]
    public async System.Threading.Tasks.Task Writes_allowed_lets_a_read_only_token_create_update_and_delete()
    {
        var (sandbox, jason) = await StartAsync("writes-allowed");
        await using var _s = sandbox;
        using var _j = jason;

        var copy = (Coverage)(await jason.GetAsync("Coverage/coverage-jason-dental")).Resource;
        copy.Id = null;
        var created = await jason.SendJsonAsync(HttpMethod.Post, "Coverage", FhirJson.Serialize(copy));
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(created.Headers.Location?.AbsoluteUri, Does.StartWith(new Uri(sandbox.Endpoints.FhirBaseUrl, "Coverage/").AbsoluteUri));
        Assert.That((await jason.GetAsync("Coverage")).Bundle.Total, Is.EqualTo(5), "the created Coverage is in Jason's compartment");

        var patient = (Patient)(await jason.GetAsync("Patient/jason-argonaut")).Resource;
        patient.Name[0].Family = "Argonaut-Renamed";
        var updated = await jason.SendJsonAsync(HttpMethod.Put, "Patient/jason-argonaut", FhirJson.Serialize(patient));
        Assert.That(updated.Status, Is.EqualTo(HttpStatusCode.OK));
        var reread = await jason.GetAsync("Patient/jason-argonaut");
        Assert.That(((Patient)reread.Resource).Name[0].Family, Is.EqualTo("Argonaut-Renamed"));
        Assert.That(reread.Headers.ETag?.ToString(), Is.EqualTo("W/\"2\""));

        Assert.That((await jason.SendJsonAsync(HttpMethod.Delete, "Coverage/coverage-jason-dental", null)).Status, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await jason.GetAsync("Coverage/coverage-jason-dental")).Status, Is.EqualTo(HttpStatusCode.NotFound));

        // Still a FHIR server: bodies are checked, PATCH is not offered, tokens are required.
        Assert.That((await jason.SendJsonAsync(HttpMethod.Post, "Patient", DataSetTests.Organization("o"))).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        var patch = await jason.SendJsonAsync(HttpMethod.Patch, "Patient/jason-argonaut", "[]");
        Assert.That(patch.Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(patch.Allow, Is.EquivalentTo(new[] { "GET", "PUT", "DELETE" }));
        using var anonymous = Anonymous(sandbox);
        Assert.That((await anonymous.SendJsonAsync(HttpMethod.Delete, "Patient/jason-argonaut", null)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test, FaultTest("coverage-missing-beneficiary")]
    public async System.Threading.Tasks.Task Coverage_missing_beneficiary_strips_beneficiary_from_served_coverages_only()
    {
        var (sandbox, jason) = await StartAsync("coverage-missing-beneficiary");
        await using var _s = sandbox;
        using var _j = jason;
        var search = await jason.GetAsync("Coverage?_include=Coverage:payor");
        var coverages = EntryResources(search).Where(r => (string?)r["resourceType"] == "Coverage").ToList();
        Assert.That(coverages, Has.Count.EqualTo(4));
        Assert.That(coverages.Select(c => c.ContainsKey("beneficiary")), Is.All.False);
        Assert.That(coverages.Select(c => c.ContainsKey("subscriber")), Is.All.True);
        Assert.That((await jason.GetAsync("Coverage/coverage-jason-medical")).Json.ContainsKey("beneficiary"), Is.False);
        // The data behind it is intact: the compartment and beneficiary searches still work; other types are untouched.
        Assert.That(MatchIds(await jason.GetAsync("Coverage?beneficiary=Patient/jessica-argonaut")), Is.EqualTo(new[] { "coverage-jessica-medical" }));
        Assert.That((string?)(await jason.GetAsync("Patient/jason-argonaut")).Json["gender"], Is.EqualTo("male"));
        Assert.That((string?)(await jason.GetAsync("Organization/demo-health-plan")).Json["name"], Is.EqualTo("Demo Health Plan"));
    }

    [Test, FaultTest("coverage-subscriber-other-member")]
    public async System.Threading.Tasks.Task Coverage_subscriber_other_member_names_a_stranger_as_subscriber_of_self_coverages_only()
    {
        var (sandbox, jason) = await StartAsync("coverage-subscriber-other-member");
        await using var _s = sandbox;
        using var _j = jason;
        var coverages = EntryResources(await jason.GetAsync("Coverage")).ToDictionary(c => (string)c["id"]!, c => (string?)c["subscriber"]?["reference"]);
        Assert.That(coverages, Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["coverage-jason-medical"] = "Patient/amy-shaw",
            ["coverage-jason-medical-2025"] = "Patient/amy-shaw",
            ["coverage-jason-dental"] = "Patient/amy-shaw",
            // The dependant's Coverage names Jason, the policyholder, as before: its beneficiary is not its subscriber.
            ["coverage-jessica-medical"] = "Patient/jason-argonaut",
        }));
        Assert.That((string?)(await jason.GetAsync("Coverage/coverage-jason-dental")).Json["subscriber"]!["reference"], Is.EqualTo("Patient/amy-shaw"));
        Assert.That((string?)(await jason.GetAsync("Coverage/coverage-jason-dental")).Json["beneficiary"]!["reference"], Is.EqualTo("Patient/jason-argonaut"));
        // The stored data is intact: searches by subscriber find what they did, and Amy stays out of Jason's compartment.
        Assert.That(MatchIds(await jason.GetAsync("Coverage?subscriber=Patient/jason-argonaut")), Is.EquivalentTo(coverages.Keys));
        Assert.That((await jason.GetAsync("Patient/amy-shaw")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test, FaultTest("reference-to-other-server")]
    public async System.Threading.Tasks.Task Reference_to_other_server_serves_every_payor_on_another_payers_server()
    {
        var (sandbox, jason) = await StartAsync("reference-to-other-server");
        await using var _s = sandbox;
        using var _j = jason;
        var payors = EntryResources(await jason.GetAsync("Coverage")).SelectMany(c => c["payor"]!.AsArray().Select(p => (string?)p!["reference"]));
        Assert.That(payors.Distinct(),
            Is.EquivalentTo(new[] { "https://other-payer.example/fhir/Organization/demo-health-plan", "https://other-payer.example/fhir/Organization/demo-dental-partners" }));
        Assert.That((string?)(await jason.GetAsync("Coverage/coverage-jason-dental")).Json["payor"]![0]!["reference"],
            Is.EqualTo("https://other-payer.example/fhir/Organization/demo-dental-partners"));
        // Only the payor changes: the beneficiary stays relative, and the Organization is still served here.
        Assert.That((string?)(await jason.GetAsync("Coverage/coverage-jason-dental")).Json["beneficiary"]!["reference"], Is.EqualTo("Patient/jason-argonaut"));
        Assert.That((string?)(await jason.GetAsync("Organization/demo-health-plan")).Json["name"], Is.EqualTo("Demo Health Plan"));
    }

    [Test, FaultTest("patient-invalid-gender")]
    public async System.Threading.Tasks.Task Patient_invalid_gender_serves_a_gender_outside_the_value_set()
    {
        var (sandbox, jason) = await StartAsync("patient-invalid-gender");
        await using var _s = sandbox;
        using var _j = jason;
        Assert.That((string?)(await jason.GetAsync("Patient/jason-argonaut")).Json["gender"], Is.EqualTo("invalid-gender"));
        Assert.That(EntryResources(await jason.GetAsync("Patient")).Select(p => (string?)p["gender"]), Is.EqualTo(new[] { "invalid-gender" }));
        Assert.That(MatchIds(await jason.GetAsync("Patient?gender=male")), Is.EqualTo(new[] { "jason-argonaut" }), "the stored data is intact");
        Assert.That((await jason.GetAsync("Coverage/coverage-jason-medical")).Json.ContainsKey("beneficiary"), Is.True);
        Assert.That((string?)(await jason.GetAsync("Organization/demo-health-plan")).Json["name"], Is.EqualTo("Demo Health Plan"));
    }

    [Test, FaultTest("organization-missing-name")]
    public async System.Threading.Tasks.Task Organization_missing_name_serves_organizations_without_name()
    {
        var (sandbox, jason) = await StartAsync("organization-missing-name");
        await using var _s = sandbox;
        using var _j = jason;
        Assert.That((await jason.GetAsync("Organization/demo-health-plan")).Json.ContainsKey("name"), Is.False);
        var included = EntryResources(await jason.GetAsync("Coverage?_include=Coverage:payor")).Where(r => (string?)r["resourceType"] == "Organization").ToList();
        Assert.That(included, Has.Count.EqualTo(2));
        Assert.That(included.Select(o => o.ContainsKey("name")), Is.All.False);
        Assert.That(included.Select(o => o.ContainsKey("identifier")), Is.All.True);
        Assert.That((string?)(await jason.GetAsync("Patient/jason-argonaut")).Json["gender"], Is.EqualTo("male"));
    }

    [Test, FaultTest("search-ignores-parameter")]
    public async System.Threading.Tasks.Task Search_ignores_parameter_returns_the_whole_compartment()
    {
        var (sandbox, jason) = await StartAsync("search-ignores-parameter");
        await using var _s = sandbox;
        using var _j = jason;
        var cancelled = (await jason.GetAsync("Coverage?status=cancelled")).Bundle;
        Assert.That(DirectFhir.Matches(cancelled), Is.EqualTo(FhirTestData.JasonCoverages));
        Assert.That(cancelled.Total, Is.EqualTo(4));
        Assert.That(DirectFhir.Matches((await jason.GetAsync("Patient?name=nobody")).Bundle), Is.EqualTo(new[] { "jason-argonaut" }));
        // Paging, includes and the compartment still work.
        var page = (await jason.GetAsync("Coverage?_id=none&_count=3&_include=Coverage:payor")).Bundle;
        Assert.That(DirectFhir.Matches(page), Has.Count.EqualTo(3));
        Assert.That(DirectFhir.Included(page), Is.Not.Empty);
        Assert.That((await jason.GetAsync("Patient/amy-shaw")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test, FaultTest("search-ignores-second-parameter")]
    public async System.Threading.Tasks.Task Search_ignores_second_parameter_applies_only_the_first_parameter_named()
    {
        var (sandbox, jason) = await StartAsync("search-ignores-second-parameter");
        await using var _s = sandbox;
        using var _j = jason;
        // Jason's own Coverages, whatever their status: the status criterion after patient is dropped.
        var both = (await jason.GetAsync("Coverage?patient=jason-argonaut&status=cancelled")).Bundle;
        Assert.That(DirectFhir.Matches(both), Is.EqualTo(new[] { "coverage-jason-medical", "coverage-jason-medical-2025", "coverage-jason-dental" }));
        // Named first, status is applied, and patient dropped.
        Assert.That(DirectFhir.Matches((await jason.GetAsync("Coverage?status=cancelled&patient=jessica-argonaut")).Bundle), Is.EqualTo(new[] { "coverage-jason-medical-2025" }));
        // One parameter, even repeated as a ge/le pair, is applied as before.
        Assert.That(DirectFhir.Matches((await jason.GetAsync("Coverage?status=cancelled")).Bundle), Is.EqualTo(new[] { "coverage-jason-medical-2025" }));
        Assert.That(DirectFhir.Matches((await jason.GetAsync("Coverage?_lastUpdated=ge2026-02-10&_lastUpdated=le2026-02-10")).Bundle), Is.EqualTo(new[] { "coverage-jason-dental" }));
    }

    [Test, FaultTest("include-beneficiary-missing")]
    public async System.Threading.Tasks.Task Include_beneficiary_missing_leaves_out_the_beneficiaries_but_not_the_payors()
    {
        var (sandbox, jason) = await StartAsync("include-beneficiary-missing");
        await using var _s = sandbox;
        using var _j = jason;
        var beneficiaries = (await jason.GetAsync("Coverage?_include=Coverage:beneficiary")).Bundle;
        Assert.That(DirectFhir.Matches(beneficiaries), Is.EqualTo(FhirTestData.JasonCoverages));
        Assert.That(DirectFhir.Included(beneficiaries), Is.Empty);
        Assert.That(DirectFhir.Included((await jason.GetAsync("Coverage?_include=Coverage:payor")).Bundle), Is.Not.Empty);
    }

    [Test, FaultTest("invalid-search-value-accepted")]
    public async System.Threading.Tasks.Task Invalid_search_value_accepted_answers_an_empty_searchset_instead_of_400()
    {
        var (sandbox, jason) = await StartAsync("invalid-search-value-accepted");
        await using var _s = sandbox;
        using var _j = jason;
        var invalid = await jason.GetAsync("Coverage?_lastUpdated=not-a-date");
        Assert.That(invalid.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(DirectFhir.Matches(invalid.Bundle), Is.Empty);
        // An unknown parameter is still refused, and readable values still search.
        Assert.That((await jason.GetAsync("Coverage?no-such-parameter=1")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(DirectFhir.Matches((await jason.GetAsync("Coverage?status=cancelled")).Bundle), Is.EqualTo(new[] { "coverage-jason-medical-2025" }));
    }

    [Test, FaultTest("strict-handling-ignored")]
    public async System.Threading.Tasks.Task Strict_handling_ignored_drops_unknown_parameters_instead_of_400()
    {
        var (sandbox, jason) = await StartAsync("strict-handling-ignored");
        await using var _s = sandbox;
        using var _j = jason;
        var unknown = await jason.GetAsync("Coverage?no-such-parameter=1&status=cancelled");
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(DirectFhir.Matches(unknown.Bundle), Is.EqualTo(new[] { "coverage-jason-medical-2025" }), "the known parameter is still applied");
        // A value a known parameter cannot read is still refused.
        Assert.That((await jason.GetAsync("Coverage?_lastUpdated=not-a-date")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test, FaultTest("paging-broken")]
    public async System.Threading.Tasks.Task Paging_broken_next_link_returns_the_same_page_forever()
    {
        var (sandbox, jason) = await StartAsync("paging-broken");
        await using var _s = sandbox;
        using var _j = jason;
        var first = (await jason.GetAsync("Coverage?_count=2")).Bundle;
        var next = IncludeAndPagingTests.Link(first, "next");
        Assert.That(next, Is.EqualTo(IncludeAndPagingTests.Link(first, "self")));
        var second = (await jason.GetAsync(next!)).Bundle;
        Assert.That(DirectFhir.Matches(second), Is.EqualTo(DirectFhir.Matches(first)).And.EqualTo(FhirTestData.JasonCoverages.Take(2)));
        Assert.That(IncludeAndPagingTests.Link(second, "next"), Is.Not.Null, "it never ends");
        // A search that fits one page still gets a next link; the offset itself is still honoured.
        Assert.That(IncludeAndPagingTests.Link((await jason.GetAsync("Coverage")).Bundle, "next"), Is.Not.Null);
        Assert.That(DirectFhir.Matches((await jason.GetAsync("Coverage?_count=2&_getpagesoffset=2")).Bundle), Is.EqualTo(FhirTestData.JasonCoverages.Skip(2)));
    }

    [Test, FaultTest("wrong-content-type")]
    public async System.Threading.Tasks.Task Wrong_content_type_labels_fhir_answers_text_html()
    {
        var (sandbox, jason) = await StartAsync("wrong-content-type");
        await using var _s = sandbox;
        using var _j = jason;
        var metadata = await jason.GetAsync("metadata");
        Assert.That(metadata.ContentType, Is.EqualTo("text/html; charset=utf-8"));
        Assert.That(metadata.Resource, Is.InstanceOf<CapabilityStatement>(), "the body is unchanged");
        var patient = await jason.GetAsync("Patient/jason-argonaut");
        Assert.That((patient.Status, patient.ContentType), Is.EqualTo((HttpStatusCode.OK, "text/html; charset=utf-8")));
        Assert.That(patient.Resource.Id, Is.EqualTo("jason-argonaut"));
    }

    [Test, FaultTest("malformed-json")]
    public async System.Threading.Tasks.Task Malformed_json_sends_bodies_that_are_not_json()
    {
        var (sandbox, jason) = await StartAsync("malformed-json");
        await using var _s = sandbox;
        using var _j = jason;
        foreach (var path in new[] { "metadata", "Patient/jason-argonaut", "Coverage" })
        {
            var reply = await jason.GetAsync(path);
            Assert.That((reply.Status, reply.ContentType), Is.EqualTo((HttpStatusCode.OK, "application/fhir+json; charset=utf-8")), path);
            Assert.That(reply.Body, Is.Not.Empty, path);
            Assert.That(() => JsonDocument.Parse(reply.Body), Throws.InstanceOf<JsonException>(), path);
        }
    }

    [Test, FaultTest("server-error")]
    public async System.Threading.Tasks.Task Server_error_fails_every_fhir_request_with_500()
    {
        var (sandbox, jason) = await StartAsync("server-error");
        await using var _s = sandbox;
        using var _j = jason;
        foreach (var path in new[] { "metadata", "Patient/jason-argonaut", "Coverage?status=active" })
        {
            var reply = await jason.GetAsync(path);
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.InternalServerError), path);
            Assert.That(reply.Outcome.Issue.Single().Code, Is.EqualTo(OperationOutcome.IssueType.Exception), path);
        }
        // Only the FHIR API fails: the authorization server (which issued Jason's token above) still answers.
        using var http = new HttpClient();
        Assert.That((await http.GetAsync(sandbox.Endpoints.SmartConfiguration)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await http.GetAsync(new Uri(sandbox.Endpoints.FhirBaseUrl, ".well-known/smart-configuration"))).StatusCode, Is.EqualTo(HttpStatusCode.OK),
            "discovery below the FHIR base is not a FHIR interaction");
    }

    [Test, FaultTest("slow-response")]
    public async System.Threading.Tasks.Task Slow_response_holds_fhir_answers_beyond_a_clients_timeout()
    {
        var (sandbox, _) = await StartAsync("slow-response", new Dictionary<string, string?> { ["Sandbox:SlowResponseDelaySeconds"] = "600" }, withToken: false);
        await using var _s = sandbox;
        using var impatient = Anonymous(sandbox, timeout: TimeSpan.FromSeconds(2));
        Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync("metadata"));
        // The rest of the sandbox answers as usual.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Assert.That((await http.GetAsync(sandbox.Endpoints.SmartConfiguration)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test, FaultTest("slow-response")]
    public async System.Threading.Tasks.Task Slow_response_answers_normally_once_the_delay_has_passed()
    {
        var (sandbox, _) = await StartAsync("slow-response", new Dictionary<string, string?> { ["Sandbox:SlowResponseDelaySeconds"] = "0" }, withToken: false);
        await using var _s = sandbox;
        using var anonymous = Anonymous(sandbox);
        var metadata = await anonymous.GetAsync("metadata");
        Assert.That(metadata.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(metadata.Resource, Is.InstanceOf<CapabilityStatement>());
    }

    /// <summary>The SMART configuration below the FHIR base and the authorization server's own at the root, as JSON with their Content-Type.</summary>
    private static async System.Threading.Tasks.Task<((string? Type, JsonObject Document) BelowFhirBase, (string? Type, JsonObject Document) AtRoot)> DiscoveryAsync(TestSandbox sandbox)
    {
        using var http = new HttpClient();
        async System.Threading.Tasks.Task<(string?, JsonObject)> Get(Uri url)
        {
            using var response = await http.GetAsync(url);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url.ToString());
            return (response.Content.Headers.ContentType?.MediaType, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
        }
        return (await Get(new Uri(sandbox.Endpoints.FhirBaseUrl, ".well-known/smart-configuration")), await Get(sandbox.Endpoints.SmartConfiguration));
    }

    [Test, FaultTest("smart-configuration-fhir-json")]
    public async System.Threading.Tasks.Task Smart_configuration_fhir_json_labels_the_document_below_the_fhir_base_only()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["smart-configuration-fhir-json"]);
        var (belowFhirBase, atRoot) = await DiscoveryAsync(sandbox);
        Assert.That(belowFhirBase.Type, Is.EqualTo("application/fhir+json"));
        Assert.That(atRoot.Type, Is.EqualTo("application/json"));
        // The same document, only labelled differently.
        Assert.That(belowFhirBase.Document.ToJsonString(), Is.EqualTo(atRoot.Document.ToJsonString()));
    }

    [Test, FaultTest("smart-configuration-missing-fields")]
    public async System.Threading.Tasks.Task Smart_configuration_missing_fields_leaves_out_grant_types_supported_below_the_fhir_base_only()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["smart-configuration-missing-fields"]);
        var (belowFhirBase, atRoot) = await DiscoveryAsync(sandbox);
        Assert.That(belowFhirBase.Type, Is.EqualTo("application/json"));
        Assert.That(belowFhirBase.Document.ContainsKey("grant_types_supported"), Is.False);
        Assert.That(atRoot.Document.ContainsKey("grant_types_supported"), Is.True);
        // Every other field is as the root serves it.
        atRoot.Document.Remove("grant_types_supported");
        Assert.That(belowFhirBase.Document.ToJsonString(), Is.EqualTo(atRoot.Document.ToJsonString()));
    }

    [Test, FaultTest("smart-configuration-jwks-plain-http")]
    public async System.Threading.Tasks.Task Smart_configuration_jwks_plain_http_names_a_plain_http_jwks_uri_below_the_fhir_base_only()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["smart-configuration-jwks-plain-http"]);
        var (belowFhirBase, atRoot) = await DiscoveryAsync(sandbox);
        Assert.That((string?)belowFhirBase.Document["jwks_uri"], Is.EqualTo("http://keys.demo-health-plan.example/.well-known/jwks"));
        Assert.That((string?)atRoot.Document["jwks_uri"], Is.EqualTo(new Uri(sandbox.Endpoints.SmartConfiguration, "jwks").AbsoluteUri));
        // Every other field is as the root serves it.
        belowFhirBase.Document["jwks_uri"] = atRoot.Document["jwks_uri"]!.DeepClone();
        Assert.That(belowFhirBase.Document.ToJsonString(), Is.EqualTo(atRoot.Document.ToJsonString()));
    }
}
