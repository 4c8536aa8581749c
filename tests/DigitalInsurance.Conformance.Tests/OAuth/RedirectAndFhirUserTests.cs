using DigitalInsurance.Conformance.Tests.Checks;
using System.Text.Json;
using DigitalInsurance.Conformance.Support.OAuth;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.OAuth;

public class UnregisteredRedirectUriTests
{
    [TestCase("https://dic-conformance.example/callback", "https://dic-conformance.example/callback/" + UnregisteredRedirectUri.ExtraSegment)]
    [TestCase("https://app.example/", "https://app.example/" + UnregisteredRedirectUri.ExtraSegment)]
    [TestCase("http://127.0.0.1:8765/cb/", "http://127.0.0.1:8765/cb/" + UnregisteredRedirectUri.ExtraSegment)]
    public void It_keeps_the_origin_and_adds_one_path_segment(string registered, string expected) =>
        Assert.That(UnregisteredRedirectUri.For(new Uri(registered)).AbsoluteUri, Is.EqualTo(expected));

    [Test]
    public void It_starts_with_the_registered_uri_so_only_exact_matching_refuses_it()
    {
        var registered = new Uri("https://dic-conformance.example/callback");
        var other = UnregisteredRedirectUri.For(registered);
        Assert.That(other.AbsoluteUri, Does.StartWith(registered.AbsoluteUri));
        Assert.That(other, Is.Not.EqualTo(registered));
    }
}

public class FhirUserReferenceTests
{
    private static readonly Uri FhirBase = new("http://127.0.0.1:5000/r4/");

    private static JsonElement Claim(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [TestCase("\"http://127.0.0.1:5000/r4/Patient/argonaut-jason\"")]
    [TestCase("\"Patient/argonaut-jason\"")]
    [TestCase("\"/Patient/argonaut-jason\"")]
    [TestCase("\"http://127.0.0.1:5000/r4/Patient/argonaut-jason/_history/2\"")]
    [TestCase("\"HTTP://127.0.0.1:5000/r4/Patient/argonaut-jason\"")]
    public void Absolute_and_relative_urls_resolve_to_type_and_id(string claim)
    {
        var (reference, problem) = FhirUserReference.Resolve(Claim(claim), FhirBase);
        Assert.That(problem, Is.Null);
        Assert.That(reference, Is.EqualTo(new FhirUserReference("Patient", "argonaut-jason")));
        Assert.That(reference!.Relative, Is.EqualTo("Patient/argonaut-jason"));
        Assert.DoesNotThrow(() => new Support.Rules.PatientContextRules(TestChecks.Default()).RequireFhirUserIsPatientInContext(reference, "argonaut-jason"), "it is the patient in context");
    }

    [Test]
    public void The_base_url_without_a_trailing_slash_works_too() =>
        Assert.That(FhirUserReference.Resolve(Claim("\"http://127.0.0.1:5000/r4/RelatedPerson/r1\""), new Uri("http://127.0.0.1:5000/r4")).Reference,
            Is.EqualTo(new FhirUserReference("RelatedPerson", "r1")));

    [Test]
    public void A_missing_claim_is_a_problem() =>
        Assert.That(FhirUserReference.Resolve(null, FhirBase).Problem, Does.Contain("no fhirUser claim"));

    [Test]
    public void A_claim_that_is_not_a_string_is_a_problem() =>
        Assert.That(FhirUserReference.Resolve(Claim("42"), FhirBase).Problem, Does.Contain("Number"));

    [Test]
    [TestCase("https://elsewhere.example/fhir/Patient/1")]
    [TestCase("http://127.0.0.1:5000/R4/Patient/1")]
    [TestCase("http://127.0.0.1:5000/r4x/Patient/1")]
    public void A_url_on_another_server_is_a_problem(string url) =>
        Assert.That(FhirUserReference.Resolve(Claim($"\"{url}\""), FhirBase).Problem, Does.Contain("not below the FHIR base URL"));

    [Test]
    public void A_type_smart_does_not_allow_is_a_problem() =>
        Assert.That(FhirUserReference.Resolve(Claim("\"Organization/payer-1\""), FhirBase).Problem, Does.Contain("Organization").And.Contain("SMART allows"));

    [Test]
    public void Something_that_is_not_type_and_id_is_a_problem() =>
        Assert.That(FhirUserReference.Resolve(Claim("\"argonaut-jason\""), FhirBase).Problem, Does.Contain("does not name a resource"));

    [Test]
    public void A_fhirUser_other_than_the_patient_in_context_fails_naming_both()
    {
        var failure = Assert.Throws<Support.Rules.ConformanceFailure>(() =>
            new Support.Rules.PatientContextRules(TestChecks.Default()).RequireFhirUserIsPatientInContext(new FhirUserReference("Patient", "someone-else"), "argonaut-jason"));
        Assert.That(failure!.Message, Does.StartWith("[smart-fhiruser] The id_token's fhirUser must be the patient in context the token response names (Patient/argonaut-jason)")
            .And.EndWith("Observed: fhirUser names Patient/someone-else"));
    }
}
