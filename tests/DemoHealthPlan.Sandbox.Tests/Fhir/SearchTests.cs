using DemoHealthPlan.Sandbox.Fhir.Search;
using Hl7.Fhir.Model;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

/// <summary>
/// The search parameters the C4DIC IG requires, each returning exactly the matching resources of the caller's
/// compartment (Jason: his Patient, his three Coverages and his daughter's, and their two payors).
/// </summary>
public class SearchTests
{
    private readonly DirectFhir _fhir = new();

    private List<string> Coverages(string query) => DirectFhir.Matches(_fhir.Search("jason-argonaut", "Coverage", query));

    [TestCase("_id=coverage-jason-dental", new[] { "coverage-jason-dental" })]
    [TestCase("_id=coverage-jason-dental,coverage-jessica-medical", new[] { "coverage-jason-dental", "coverage-jessica-medical" })]
    [TestCase("_id=coverage-amy-medical", new string[0])]
    [TestCase("status=active", new[] { "coverage-jason-medical", "coverage-jason-dental", "coverage-jessica-medical" })]
    [TestCase("status=cancelled", new[] { "coverage-jason-medical-2025" })]
    [TestCase("status=http://hl7.org/fhir/fm-status|active", new[] { "coverage-jason-medical", "coverage-jason-dental", "coverage-jessica-medical" })]
    [TestCase("status=http://example.org/other|active", new string[0])]
    [TestCase("status:not=active", new[] { "coverage-jason-medical-2025" })]
    [TestCase("status=draft,cancelled", new[] { "coverage-jason-medical-2025" })]
    [TestCase("beneficiary=Patient/jessica-argonaut", new[] { "coverage-jessica-medical" })]
    [TestCase("beneficiary=jessica-argonaut", new[] { "coverage-jessica-medical" })]
    [TestCase("beneficiary:Patient=jessica-argonaut", new[] { "coverage-jessica-medical" })]
    [TestCase("beneficiary=http://sandbox.test/r4/Patient/jessica-argonaut", new[] { "coverage-jessica-medical" })]
    [TestCase("patient=Patient/jason-argonaut", new[] { "coverage-jason-medical", "coverage-jason-medical-2025", "coverage-jason-dental" })]
    [TestCase("subscriber=Patient/jason-argonaut", new[] { "coverage-jason-medical", "coverage-jason-medical-2025", "coverage-jason-dental", "coverage-jessica-medical" })]
    [TestCase("subscriber=Patient/jessica-argonaut", new string[0])]
    [TestCase("identifier=https://demo-health-plan.example/fhir/sid/member-id|08-testmemid-02", new[] { "coverage-jessica-medical" })]
    [TestCase("identifier=08-testmemid", new[] { "coverage-jason-medical", "coverage-jason-medical-2025" })]
    [TestCase("identifier=http://example.org/other|08-testmemid", new string[0])]
    [TestCase("identifier=|08-testmemid", new string[0])]
    [TestCase("identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203|MB|08-testmemid-d", new[] { "coverage-jason-dental" })]
    [TestCase("period=2025", new[] { "coverage-jason-medical-2025" })]
    [TestCase("period=ge2026-01-01", new[] { "coverage-jason-medical", "coverage-jason-dental", "coverage-jessica-medical" })]
    [TestCase("period=lt2025-06-01", new[] { "coverage-jason-medical-2025", "coverage-jason-dental" })]
    [TestCase("period=sa2025-12-31", new[] { "coverage-jason-medical", "coverage-jessica-medical" })]
    [TestCase("period=eb2026-01-01", new[] { "coverage-jason-medical-2025" })]
    [TestCase("period=ne2025", new[] { "coverage-jason-medical", "coverage-jason-dental", "coverage-jessica-medical" })]
    [TestCase("_lastUpdated=2026-01-06", new[] { "coverage-jason-medical", "coverage-jessica-medical" })]
    [TestCase("_lastUpdated=gt2026-01-06T08:02:00Z", new[] { "coverage-jason-dental", "coverage-jessica-medical" })]
    [TestCase("_lastUpdated=le2025-12-31", new[] { "coverage-jason-medical-2025" })]
    [TestCase("_lastUpdated=ge2026-02-10T13:30:00%2B01:00", new[] { "coverage-jason-dental" })]
    [TestCase("_profile=http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Coverage", new[] { "coverage-jason-medical", "coverage-jason-medical-2025", "coverage-jason-dental", "coverage-jessica-medical" })]
    [TestCase("_profile=http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient", new string[0])]
    [TestCase("_profile:below=http://hl7.org/fhir/us/insurance-card/", new[] { "coverage-jason-medical", "coverage-jason-medical-2025", "coverage-jason-dental", "coverage-jessica-medical" })]
    [TestCase("dependent:missing=true", new[] { "coverage-jason-dental" })]
    [TestCase("status=active&beneficiary=Patient/jason-argonaut", new[] { "coverage-jason-medical", "coverage-jason-dental" })]
    [TestCase("period=ge2025-01-01&period=le2025-12-31", new[] { "coverage-jason-medical-2025", "coverage-jason-dental" })]
    [TestCase("status=active&status=cancelled", new string[0])]
    [TestCase("status=", new[] { "coverage-jason-medical", "coverage-jason-medical-2025", "coverage-jason-dental", "coverage-jessica-medical" })]
    public void Coverage_search_returns_exactly_the_matches(string query, string[] expected)
    {
        Assert.That(Coverages(query), Is.EqualTo(expected));
    }

    [TestCase("_id=jason-argonaut", new[] { "jason-argonaut" })]
    [TestCase("_id=amy-shaw", new string[0])]
    [TestCase("identifier=https://demo-health-plan.example/fhir/sid/member-id|08-testmemid", new[] { "jason-argonaut" })]
    [TestCase("identifier=08-testmemid-02", new string[0])]
    [TestCase("_lastUpdated=2026-01-05", new[] { "jason-argonaut" })]
    [TestCase("_lastUpdated=lt2026-01-01", new string[0])]
    [TestCase("name=jason", new[] { "jason-argonaut" })]
    [TestCase("name=ARGO", new[] { "jason-argonaut" })]
    [TestCase("name=J%C3%A1s%C3%B3n", new[] { "jason-argonaut" })]
    [TestCase("name=son", new string[0])]
    [TestCase("name:contains=son", new[] { "jason-argonaut" })]
    [TestCase("name:exact=Jason", new[] { "jason-argonaut" })]
    [TestCase("name:exact=jason", new string[0])]
    [TestCase("name=Bob,Jason", new[] { "jason-argonaut" })]
    public void Patient_search_returns_exactly_the_matches(string query, string[] expected)
    {
        Assert.That(DirectFhir.Matches(_fhir.Search("jason-argonaut", "Patient", query)), Is.EqualTo(expected));
    }

    [TestCase("_id=demo-health-plan", new[] { "demo-health-plan" })]
    [TestCase("_id=demo-dental-partners", new[] { "demo-dental-partners" })]
    [TestCase("", new[] { "demo-health-plan", "demo-dental-partners" })]
    public void Organization_search_returns_exactly_the_matches(string query, string[] expected)
    {
        Assert.That(DirectFhir.Matches(_fhir.Search("jason-argonaut", "Organization", query)), Is.EqualTo(expected));
    }

    [Test]
    public void Search_across_the_whole_data_set_evaluates_the_same_way()
    {
        var all = _fhir.Store.All();
        List<string> Ids(string type, string query) =>
            SearchEngine.Matches(SearchRequest.Parse(type, DirectFhir.Query(query), DateTimeOffset.UtcNow), all).Select(r => r.Id!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Ids("Patient", "name=argonaut"), Is.EqualTo(new[] { "jason-argonaut", "jessica-argonaut" }));
            Assert.That(Ids("Patient", "name=ann"), Is.EqualTo(new[] { "jessica-argonaut" }), "second given name");
            Assert.That(Ids("Patient", "gender=female"), Is.EqualTo(new[] { "jessica-argonaut", "amy-shaw" }));
            Assert.That(Ids("Patient", "birthdate=lt1985"), Is.EqualTo(new[] { "amy-shaw" }));
            Assert.That(Ids("Patient", "address-postalcode=60614"), Is.EqualTo(new[] { "amy-shaw" }));
            Assert.That(Ids("Patient", "identifier:missing=false&identifier=P-000731"), Is.EqualTo(new[] { "kenji-tanaka" }));
            Assert.That(Ids("Coverage", "payor=Organization/demo-dental-partners"), Is.EqualTo(new[] { "coverage-jason-dental" }));
            Assert.That(Ids("Coverage", "class-value=DHP-GOLD-PPO"), Is.EqualTo(new[] { "coverage-jason-medical", "coverage-jessica-medical", "coverage-kenji-medical" }));
            Assert.That(Ids("Coverage", "period=gt2027-01-01"), Is.EqualTo(new[] { "coverage-jason-dental", "coverage-amy-medical", "coverage-amy-vision", "coverage-kenji-medical" }));
            Assert.That(Ids("Coverage", "payor=Organization/great-lakes-vision-plan"), Is.EqualTo(new[] { "coverage-amy-vision" }));
            Assert.That(Ids("Coverage", "period=2027-02"), Is.Empty, "eq needs the whole period inside February 2027");
            Assert.That(Ids("Organization", "name=demo dental"), Is.EqualTo(new[] { "demo-dental-partners" }));
        });
    }

    [TestCase("Coverage", "colour=blue", "Unknown search parameter 'colour'")]
    [TestCase("Coverage", "beneficiary.name=Jason", "Chained search")]
    [TestCase("Coverage", "period=2026-13-01", "is not a FHIR date")]
    [TestCase("Coverage", "period=xx2026", "Unknown date prefix")]
    [TestCase("Coverage", "period:exact=2026", "not supported for date parameters")]
    [TestCase("Coverage", "status:below=act", "not supported for token parameters")]
    [TestCase("Coverage", "beneficiary:Organization=x", "refers to Patient")]
    [TestCase("Coverage", "_sort=_lastUpdated", "not supported")]
    [TestCase("Coverage", "_revinclude=Patient:link", "not supported")]
    [TestCase("Coverage", "_include=Coverage:status", "not a reference search parameter")]
    [TestCase("Coverage", "_include=Patient:organization", "does not start with the searched type")]
    [TestCase("Coverage", "_include:iterate=Coverage:payor", "not supported")]
    [TestCase("Coverage", "_count=-1", "_count must be a whole number")]
    [TestCase("Coverage", "_count=ten", "_count must be a whole number")]
    [TestCase("Coverage", "dependent:missing=maybe", "takes true or false")]
    [TestCase("Patient", "name:fuzzy=jason", "not supported for string parameters")]
    [TestCase("Patient", "identifier:of-type=MB|1", "needs type-system|type-code|value")]
    [TestCase("Patient", "_summary=true", "_summary=true is not supported")]
    public void An_unsupported_or_malformed_parameter_is_a_400(string type, string query, string message)
    {
        var problem = _fhir.SearchFails("jason-argonaut", type, query);
        Assert.That(problem.Status, Is.EqualTo(400));
        Assert.That(problem.Message, Does.Contain(message));
        Assert.That(problem.ToOperationOutcome().Issue.Single().Severity, Is.EqualTo(OperationOutcome.IssueSeverity.Error));
    }

    [Test]
    public void The_text_modifier_on_a_token_is_accepted_where_below_is_refused()
    {
        // status is a bare code with no display text, so :text finds nothing; the point is that it is no 400.
        Assert.That(Coverages("status:text=act"), Is.Empty);
        Assert.That(_fhir.SearchFails("jason-argonaut", "Coverage", "status:below=act").Status, Is.EqualTo(400));
    }

    [Test]
    public void Format_xml_is_refused_with_406()
    {
        Assert.That(_fhir.SearchFails("jason-argonaut", "Patient", "_format=xml").Status, Is.EqualTo(406));
        Assert.That(DirectFhir.Matches(_fhir.Search("jason-argonaut", "Patient", "_format=json")), Has.Count.EqualTo(1));
    }

    [Test]
    public void Token_text_searches_codeable_concept_text_and_display()
    {
        Assert.That(Coverages("type:text=dental"), Is.EqualTo(new[] { "coverage-jason-dental" }));
        Assert.That(Coverages("type=http://terminology.hl7.org/CodeSystem/v3-ActCode|HIP"), Has.Count.EqualTo(3));
    }

    [Test]
    public void Every_required_C4DIC_parameter_is_served()
    {
        string[] Names(string type) => SearchParameterCatalog.For(type).Select(p => p.Name!).ToArray();
        Assert.That(Names("Coverage"), Is.SupersetOf(new[] { "_id", "_profile", "_lastUpdated", "beneficiary", "subscriber", "patient", "identifier", "period", "status" }));
        Assert.That(Names("Patient"), Is.SupersetOf(new[] { "_id", "_lastUpdated", "identifier", "name" }));
        Assert.That(Names("Organization"), Does.Contain("_id"));
        Assert.That(SearchParameterCatalog.For("Coverage").All(p => !string.IsNullOrEmpty(p.Expression)), "every parameter is evaluated from a FHIRPath expression");
    }
}
