using System.Net;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using Hl7.Fhir.Model;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

/// <summary>
/// The FHIR API over HTTP with real access tokens: each member enrolled through the sandbox's own authorization flow.
/// </summary>
[NonParallelizable]
public class FhirHttpTests
{
    private TestSandbox _sandbox = null!;
    private FhirHttp _jason = null!;
    private FhirHttp _jessica = null!;
    private FhirHttp _amy = null!;
    private FhirHttp _anonymous = null!;

    [OneTimeSetUp]
    public async System.Threading.Tasks.Task StartSandbox()
    {
        _sandbox = await TestSandbox.StartAsync();
        _jason = new FhirHttp(_sandbox.Endpoints.FhirBaseUrl, (await _sandbox.AuthorizeAsync(TestMembers.JasonArgonaut)).AccessToken);
        _jessica = new FhirHttp(_sandbox.Endpoints.FhirBaseUrl, (await _sandbox.AuthorizeAsync(FhirTestData.Jessica)).AccessToken);
        _amy = new FhirHttp(_sandbox.Endpoints.FhirBaseUrl, (await _sandbox.AuthorizeAsync(FhirTestData.Amy)).AccessToken);
        _anonymous = new FhirHttp(_sandbox.Endpoints.FhirBaseUrl, null);
    }

    [OneTimeTearDown]
    public async System.Threading.Tasks.Task StopSandbox()
    {
        _jason?.Dispose();
        _jessica?.Dispose();
        _amy?.Dispose();
        _anonymous?.Dispose();
        if (_sandbox is not null) await _sandbox.DisposeAsync();
    }

    [Test]
    public async System.Threading.Tasks.Task Metadata_needs_no_token_and_describes_the_smart_secured_C4DIC_server()
    {
        var reply = await _anonymous.GetAsync("metadata");
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(reply.ContentType, Is.EqualTo("application/fhir+json; charset=utf-8"));
        var statement = (CapabilityStatement)reply.Resource;
        Assert.That(statement.FhirVersion, Is.EqualTo(FHIRVersion.N4_0_1));
        Assert.That(statement.Format, Is.EqualTo(new[] { "json" }));
        var rest = statement.Rest.Single();
        Assert.That(rest.Security!.Service.SelectMany(s => s.Coding).Select(c => $"{c.System}|{c.Code}"),
            Does.Contain("http://terminology.hl7.org/CodeSystem/restful-security-service|SMART-on-FHIR"));
        var oauth = rest.Security.GetExtension("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
        Assert.That(oauth.GetExtensionValue<FhirUri>("authorize").Value, Is.EqualTo(_sandbox.Endpoints.AuthorizeEndpoint.AbsoluteUri));
        Assert.That(oauth.GetExtensionValue<FhirUri>("token").Value, Is.EqualTo(_sandbox.Endpoints.TokenEndpoint.AbsoluteUri));

        Assert.That(rest.Resource.Select(r => r.Type), Is.EquivalentTo(new[] { "Patient", "Coverage", "Organization", "RelatedPerson" }));
        foreach (var resource in rest.Resource)
        {
            Assert.That(resource.Interaction.Select(i => i.Code), Is.SupersetOf(new CapabilityStatement.TypeRestfulInteraction?[]
                { CapabilityStatement.TypeRestfulInteraction.Read, CapabilityStatement.TypeRestfulInteraction.SearchType }), resource.Type);
            if (resource.Type != "RelatedPerson") // C4DIC profiles no RelatedPerson
                Assert.That(resource.SupportedProfile, Does.Contain($"http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-{resource.Type}"));
        }
        var coverage = rest.Resource.Single(r => r.Type == "Coverage");
        Assert.That(coverage.SearchInclude, Does.Contain("Coverage:payor"));
        Assert.That(coverage.SearchParam.Select(p => p.Name), Is.SupersetOf(new[] { "_id", "_profile", "_lastUpdated", "beneficiary", "subscriber", "patient", "identifier", "period", "status" }));
        Assert.That(coverage.SearchParam.Single(p => p.Name == "period").Type, Is.EqualTo(SearchParamType.Date));
        Assert.That(rest.Resource.Single(r => r.Type == "Patient").SearchParam.Select(p => p.Name), Is.SupersetOf(new[] { "_id", "_lastUpdated", "identifier", "name" }));
    }

    [Test]
    public async System.Threading.Tasks.Task The_smart_configuration_is_also_served_below_the_fhir_base()
    {
        using var http = new HttpClient();
        var atBase = await http.GetAsync(new Uri(_sandbox.Endpoints.FhirBaseUrl, ".well-known/smart-configuration"));
        var atRoot = await http.GetAsync(_sandbox.Endpoints.SmartConfiguration);
        Assert.That(atBase.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(atBase.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(await atBase.Content.ReadAsStringAsync(), Is.EqualTo(await atRoot.Content.ReadAsStringAsync()));
    }

    [TestCase("GET", "Patient")]
    [TestCase("GET", "Patient/jason-argonaut")]
    [TestCase("GET", "Coverage?status=active")]
    [TestCase("GET", "Observation")]
    [TestCase("POST", "Patient")]
    [TestCase("DELETE", "Patient/jason-argonaut")]
    public async System.Threading.Tasks.Task Without_a_token_everything_but_metadata_is_401_with_a_bearer_challenge(string method, string path)
    {
        var reply = await _anonymous.SendJsonAsync(new HttpMethod(method), path, method == "POST" ? DataSetTests.Patient("x") : null);
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(reply.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Bearer"));
        Assert.That(reply.ContentType, Is.EqualTo("application/fhir+json; charset=utf-8"));
        Assert.That(reply.Outcome.Issue.Single().Severity, Is.EqualTo(OperationOutcome.IssueSeverity.Error));
    }

    [Test]
    public async System.Threading.Tasks.Task A_bad_token_is_401_invalid_token()
    {
        using var forged = new FhirHttp(_sandbox.Endpoints.FhirBaseUrl, "eyJhbGciOiJSUzI1NiJ9.eyJwYXRpZW50IjoiamFzb24tYXJnb25hdXQifQ.c2lnbmF0dXJl");
        var reply = await forged.GetAsync("Patient");
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(reply.Headers.WwwAuthenticate.Single().ToString(), Does.StartWith("Bearer").And.Contain("error=\"invalid_token\""));
        Assert.That(reply.Outcome.Issue, Has.Count.EqualTo(1));
    }

    [Test]
    public async System.Threading.Tasks.Task A_member_reads_their_own_resources()
    {
        var patient = await _jason.GetAsync("Patient/jason-argonaut");
        Assert.That(patient.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(patient.ContentType, Is.EqualTo("application/fhir+json; charset=utf-8"));
        Assert.That(patient.Headers.ETag?.ToString(), Is.EqualTo("W/\"1\""));
        Assert.That(((Patient)patient.Resource).Name[0].Family, Is.EqualTo("Argonaut"));
        Assert.That((await _jason.GetAsync("Coverage/coverage-jessica-medical")).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _jason.GetAsync("Organization/demo-dental-partners")).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("Patient/jessica-argonaut")]
    [TestCase("Patient/amy-shaw")]
    [TestCase("Coverage/coverage-amy-medical")]
    [TestCase("Coverage/coverage-amy-vision")]
    [TestCase("Organization/great-lakes-vision-plan")]
    [TestCase("Patient/no-such-patient")]
    public async System.Threading.Tasks.Task Reading_anything_outside_the_compartment_is_404(string path)
    {
        var reply = await _jason.GetAsync(path);
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(reply.Outcome.Issue.Single().Code, Is.EqualTo(OperationOutcome.IssueType.NotFound));
    }

    [Test]
    public async System.Threading.Tasks.Task Each_member_searches_only_their_compartment()
    {
        Assert.That(DirectFhir.Matches((await _jason.GetAsync("Coverage")).Bundle), Is.EqualTo(FhirTestData.JasonCoverages));
        Assert.That(DirectFhir.Matches((await _jessica.GetAsync("Coverage")).Bundle), Is.EqualTo(new[] { "coverage-jessica-medical" }));
        Assert.That(DirectFhir.Matches((await _jessica.GetAsync("Patient?_id=jason-argonaut")).Bundle), Is.Empty);
        Assert.That((await _jessica.GetAsync("Coverage/coverage-jason-medical")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async System.Threading.Tasks.Task A_payor_only_amy_has_is_hers_to_read_and_out_of_jasons_reach()
    {
        var payor = $"Organization/{FhirTestData.AmyOnlyPayor}";
        Assert.That((await _amy.GetAsync(payor)).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(DirectFhir.Matches((await _amy.GetAsync("Organization")).Bundle), Is.EqualTo(new[] { "demo-health-plan", FhirTestData.AmyOnlyPayor }));
        Assert.That(DirectFhir.Included((await _amy.GetAsync("Coverage?_include=Coverage:payor")).Bundle), Does.Contain(payor));

        Assert.That((await _jason.GetAsync(payor)).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(DirectFhir.Matches((await _jason.GetAsync($"Organization?_id={FhirTestData.AmyOnlyPayor}")).Bundle), Is.Empty);
        Assert.That(DirectFhir.Included((await _jason.GetAsync("Coverage?_include=Coverage:payor")).Bundle), Does.Not.Contain(payor));
    }

    [TestCase("Patient?identifier=https://demo-health-plan.example/fhir/sid/member-id|08-testmemid", new[] { "jason-argonaut" })]
    [TestCase("Patient?identifier=http://example.org/other|08-testmemid", new string[0])]
    [TestCase("Patient?_lastUpdated=2026-01-05", new[] { "jason-argonaut" })]
    [TestCase("Patient?_lastUpdated=lt2026-01-01", new string[0])]
    [TestCase("Coverage?period=2025", new[] { "coverage-jason-medical-2025" })]
    [TestCase("Coverage?period=2019", new string[0])]
    [TestCase("Coverage?_profile=http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Coverage", new[] { "coverage-jason-medical", "coverage-jason-medical-2025", "coverage-jason-dental", "coverage-jessica-medical" })]
    [TestCase("Coverage?_profile=http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient", new string[0])]
    [TestCase("Coverage?identifier=https://demo-health-plan.example/fhir/sid/member-id|08-testmemid-02", new[] { "coverage-jessica-medical" })]
    [TestCase("Coverage?identifier=https://demo-health-plan.example/fhir/sid/member-id|no-such-member", new string[0])]
    [TestCase("Coverage?subscriber=Patient/jason-argonaut", new[] { "coverage-jason-medical", "coverage-jason-medical-2025", "coverage-jason-dental", "coverage-jessica-medical" })]
    [TestCase("Coverage?subscriber=Patient/jessica-argonaut", new string[0])]
    [TestCase("Coverage?patient=Patient/jason-argonaut", new[] { "coverage-jason-medical", "coverage-jason-medical-2025", "coverage-jason-dental" })]
    [TestCase("Coverage?patient=Patient/amy-shaw", new string[0])]
    [TestCase("Coverage?_id=coverage-jason-dental", new[] { "coverage-jason-dental" })]
    [TestCase("Coverage?_id=no-such-coverage", new string[0])]
    [TestCase("Organization?_id=demo-dental-partners", new[] { "demo-dental-partners" })]
    [TestCase("Organization?_id=no-such-organization", new string[0])]
    public async System.Threading.Tasks.Task A_required_search_parameter_returns_exactly_the_members_matches(string search, string[] expected)
    {
        var reply = await _jason.GetAsync(search);
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK));
        var bundle = reply.Bundle;
        Assert.That(bundle.Type, Is.EqualTo(Bundle.BundleType.Searchset));
        Assert.That(DirectFhir.Matches(bundle), Is.EqualTo(expected));
        Assert.That(bundle.Total, Is.EqualTo(expected.Length));
        Assert.That(bundle.Entry.Select(e => e.Resource!.TypeName), Has.All.EqualTo(search.Split('?')[0]), "no includes were asked for");
    }

    [Test]
    public async System.Threading.Tasks.Task Search_by_get_and_by_post_form_agree()
    {
        var get = (await _jason.GetAsync("Coverage?status=active&_include=Coverage:payor")).Bundle;
        var post = (await _jason.PostSearchAsync("Coverage", [new("status", "active"), new("_include", "Coverage:payor")])).Bundle;
        Assert.That(DirectFhir.Matches(post), Is.EqualTo(DirectFhir.Matches(get)).And.EqualTo(new[] { "coverage-jason-medical", "coverage-jason-dental", "coverage-jessica-medical" }));
        Assert.That(DirectFhir.Included(post), Is.EqualTo(DirectFhir.Included(get)));
        Assert.That(post.Entry[0].FullUrl, Is.EqualTo(new Uri(_sandbox.Endpoints.FhirBaseUrl, "Coverage/coverage-jason-medical").AbsoluteUri));
    }

    [Test]
    public async System.Threading.Tasks.Task Next_links_lead_through_every_page_to_the_end()
    {
        var seen = new List<string>();
        var reply = await _jason.GetAsync("Coverage?_count=1");
        for (var pages = 1; ; pages++)
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(reply.Bundle.Total, Is.EqualTo(4));
            seen.AddRange(DirectFhir.Matches(reply.Bundle));
            if (IncludeAndPagingTests.Link(reply.Bundle, "next") is not { } next) break;
            Assert.That(pages, Is.LessThan(10), "paging must end");
            reply = await _jason.GetAsync(next);
        }
        Assert.That(seen, Is.EqualTo(FhirTestData.JasonCoverages));
    }

    [TestCase("POST", "Patient")]
    [TestCase("PUT", "Patient/jason-argonaut")]
    [TestCase("PATCH", "Patient/jason-argonaut")]
    [TestCase("DELETE", "Patient/jason-argonaut")]
    [TestCase("DELETE", "Coverage/coverage-jason-medical")]
    [TestCase("POST", "metadata")]
    public async System.Threading.Tasks.Task Writes_are_405_and_change_nothing(string method, string path)
    {
        var before = (await _jason.GetAsync("Patient/jason-argonaut")).Body;
        var reply = await _jason.SendJsonAsync(new HttpMethod(method), path, method is "POST" or "PUT" ? DataSetTests.Patient("jason-argonaut") : null);
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(reply.Allow, Is.EqualTo(new[] { "GET" }));
        Assert.That(reply.Outcome.Issue.Single().Severity, Is.EqualTo(OperationOutcome.IssueSeverity.Error));
        Assert.That((await _jason.GetAsync("Patient/jason-argonaut")).Body, Is.EqualTo(before));
        Assert.That((await _jason.GetAsync("Coverage")).Bundle.Total, Is.EqualTo(4));
    }

    [TestCase("Observation", HttpStatusCode.NotFound)]
    [TestCase("Observation/1", HttpStatusCode.NotFound)]
    [TestCase("Patient/jason-argonaut/_history", HttpStatusCode.NotFound)]
    [TestCase("Coverage?colour=blue", HttpStatusCode.BadRequest)]
    [TestCase("Coverage?period=yesterday", HttpStatusCode.BadRequest)]
    [TestCase("Patient?_format=xml", HttpStatusCode.NotAcceptable)]
    public async System.Threading.Tasks.Task Errors_are_operation_outcomes(string path, HttpStatusCode status)
    {
        var reply = await _jason.GetAsync(path);
        Assert.That(reply.Status, Is.EqualTo(status));
        Assert.That(reply.ContentType, Is.EqualTo("application/fhir+json; charset=utf-8"));
        Assert.That(reply.Outcome.Issue.Single().Diagnostics, Is.Not.Empty);
    }

    [Test]
    public async System.Threading.Tasks.Task An_accept_header_without_json_is_406()
    {
        var reply = await _jason.GetAsync("Patient/jason-argonaut", accept: "application/fhir+xml");
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.NotAcceptable));
        Assert.That(reply.Outcome.Issue, Has.Count.EqualTo(1));
        Assert.That((await _jason.GetAsync("Patient/jason-argonaut", accept: "*/*")).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async System.Threading.Tasks.Task A_token_scoped_to_patient_only_cannot_search_coverage()
    {
        var token = await _sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, scope: "patient/Patient.read");
        using var narrow = new FhirHttp(_sandbox.Endpoints.FhirBaseUrl, token.AccessToken);
        Assert.That((await narrow.GetAsync("Patient/jason-argonaut")).Status, Is.EqualTo(HttpStatusCode.OK));
        var coverage = await narrow.GetAsync("Coverage");
        Assert.That(coverage.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(coverage.Headers.WwwAuthenticate.Single().ToString(), Does.Contain("insufficient_scope"));
        Assert.That(coverage.Outcome.Issue.Single().Code, Is.EqualTo(OperationOutcome.IssueType.Forbidden));
    }

    [Test]
    public async System.Threading.Tasks.Task A_member_known_only_by_coverage_subscriber_id_enrolls_and_sees_their_data()
    {
        var token = await _sandbox.AuthorizeAsync(FhirTestData.Kenji);
        Assert.That(token.Patient, Is.EqualTo("kenji-tanaka"));
        using var kenji = new FhirHttp(_sandbox.Endpoints.FhirBaseUrl, token.AccessToken);
        Assert.That(DirectFhir.Matches((await kenji.GetAsync("Coverage?_include=Coverage:payor")).Bundle), Is.EqualTo(new[] { "coverage-kenji-medical" }));
    }
}
