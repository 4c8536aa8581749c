using DemoHealthPlan.Sandbox.Fhir;
using Hl7.Fhir.Model;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

public class CompartmentTests
{
    private readonly DirectFhir _fhir = new();

    [Test]
    public void A_subscriber_sees_his_patient_the_coverages_he_holds_and_their_payors()
    {
        Assert.That(DirectFhir.Matches(_fhir.Search("jason-argonaut", "Patient")), Is.EqualTo(new[] { "jason-argonaut" }));
        Assert.That(DirectFhir.Matches(_fhir.Search("jason-argonaut", "Coverage")), Is.EqualTo(FhirTestData.JasonCoverages));
        Assert.That(DirectFhir.Matches(_fhir.Search("jason-argonaut", "Organization")), Is.EqualTo(new[] { "demo-health-plan", "demo-dental-partners" }));
    }

    [Test]
    public void A_member_with_two_payors_sees_both_and_nobody_else_sees_the_one_only_she_has()
    {
        Assert.That(DirectFhir.Matches(_fhir.Search("amy-shaw", "Coverage")), Is.EqualTo(FhirTestData.AmyCoverages));
        Assert.That(DirectFhir.Matches(_fhir.Search("amy-shaw", "Organization")), Is.EqualTo(new[] { "demo-health-plan", FhirTestData.AmyOnlyPayor }));
        foreach (var other in new[] { "jason-argonaut", "jessica-argonaut", "kenji-tanaka" })
            Assert.That(DirectFhir.Matches(_fhir.Search(other, "Organization")), Does.Not.Contain(FhirTestData.AmyOnlyPayor), other);
    }

    [Test]
    public void A_dependent_sees_only_her_own_coverage_and_its_payor()
    {
        Assert.That(DirectFhir.Matches(_fhir.Search("jessica-argonaut", "Patient")), Is.EqualTo(new[] { "jessica-argonaut" }));
        Assert.That(DirectFhir.Matches(_fhir.Search("jessica-argonaut", "Coverage")), Is.EqualTo(new[] { "coverage-jessica-medical" }));
        Assert.That(DirectFhir.Matches(_fhir.Search("jessica-argonaut", "Organization")), Is.EqualTo(new[] { "demo-health-plan" }));
    }

    [TestCase("jason-argonaut", "Patient", "jessica-argonaut")]
    [TestCase("jason-argonaut", "Patient", "amy-shaw")]
    [TestCase("jason-argonaut", "Coverage", "coverage-amy-medical")]
    [TestCase("jessica-argonaut", "Coverage", "coverage-jason-medical")]
    [TestCase("jessica-argonaut", "Organization", "demo-dental-partners")]
    [TestCase("jason-argonaut", "Organization", "great-lakes-vision-plan")]
    [TestCase("jason-argonaut", "Coverage", "coverage-amy-vision")]
    [TestCase("kenji-tanaka", "Organization", "great-lakes-vision-plan")]
    [TestCase("amy-shaw", "Patient", "jason-argonaut")]
    [TestCase("amy-shaw", "Patient", "no-such-patient")]
    public void Reading_outside_the_compartment_is_404_like_an_unknown_id(string patientId, string type, string id)
    {
        var problem = Assert.Throws<FhirProblem>(() => _fhir.Api.Read(DirectFhir.Caller(patientId), type, id))!;
        Assert.That(problem.Status, Is.EqualTo(404));
        Assert.That(problem.Message, Is.EqualTo($"{type}/{id} is not known to this server."));
    }

    [TestCase("jason-argonaut", "Coverage", "coverage-jessica-medical")]
    [TestCase("jessica-argonaut", "Organization", "demo-health-plan")]
    [TestCase("kenji-tanaka", "Patient", "kenji-tanaka")]
    [TestCase("amy-shaw", "Organization", "great-lakes-vision-plan")]
    public void Reading_inside_the_compartment_works(string patientId, string type, string id)
    {
        var response = _fhir.Api.Read(DirectFhir.Caller(patientId), type, id);
        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(response.Body!.Id, Is.EqualTo(id));
        Assert.That(response.Headers["ETag"], Is.EqualTo("W/\"1\""));
    }

    [Test]
    public void Searches_never_return_other_members_resources_whatever_they_ask()
    {
        Assert.That(DirectFhir.Matches(_fhir.Search("amy-shaw", "Coverage", "beneficiary=Patient/jason-argonaut")), Is.Empty);
        Assert.That(DirectFhir.Matches(_fhir.Search("amy-shaw", "Patient", "_id=jason-argonaut,amy-shaw")), Is.EqualTo(new[] { "amy-shaw" }));
    }

    [Test]
    public void A_token_for_a_patient_not_in_the_data_opens_an_empty_compartment()
    {
        Assert.That(_fhir.Search("ghost", "Coverage").Total, Is.EqualTo(0));
    }

    [Test]
    public void Vread_serves_the_current_version_only()
    {
        Assert.That(_fhir.Api.Read(DirectFhir.Caller("jason-argonaut"), "Patient", "jason-argonaut", "1").Body!.Id, Is.EqualTo("jason-argonaut"));
        Assert.That(Assert.Throws<FhirProblem>(() => _fhir.Api.Read(DirectFhir.Caller("jason-argonaut"), "Patient", "jason-argonaut", "2"))!.Status, Is.EqualTo(404));
    }

    [TestCase("patient/*.read", "Coverage", true, true)]
    [TestCase("patient/Coverage.read", "Coverage", true, true)]
    [TestCase("patient/Coverage.read", "Patient", false, false)]
    [TestCase("patient/*.rs", "Organization", true, true)]
    [TestCase("patient/Patient.r", "Patient", true, false)]
    [TestCase("patient/Patient.s", "Patient", false, true)]
    [TestCase("patient/*.cruds", "Patient", true, true)]
    [TestCase("patient/*.*", "Patient", true, true)]
    [TestCase("patient/*.write", "Patient", false, false)]
    [TestCase("patient/*.sr", "Patient", false, false)]
    [TestCase("user/*.read", "Patient", false, false)]
    [TestCase("patient/Coverage.rs?status=active", "Coverage", false, false)]
    [TestCase("openid", "Patient", false, false)]
    public void Smart_scopes_grant_read_and_search(string scope, string type, bool read, bool search)
    {
        var caller = DirectFhir.Caller("jason-argonaut", scope);
        Assert.That((caller.MayRead(type), caller.MaySearch(type)), Is.EqualTo((read, search)));
    }

    [Test]
    public void A_scope_without_the_type_is_403_with_an_insufficient_scope_challenge()
    {
        var problem = Assert.Throws<FhirProblem>(() =>
            _fhir.Api.Search(DirectFhir.Caller("jason-argonaut", "patient/Patient.read"), "Coverage", [], DirectFhir.Urls))!;
        Assert.That(problem.Status, Is.EqualTo(403));
        Assert.That(problem.Headers["WWW-Authenticate"], Does.Contain("insufficient_scope"));
        Assert.That(problem.ToOperationOutcome().Issue[0].Code, Is.EqualTo(OperationOutcome.IssueType.Forbidden));
    }
}
