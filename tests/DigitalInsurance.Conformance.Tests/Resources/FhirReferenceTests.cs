using DigitalInsurance.Conformance.Support.Fhir;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Resources;

public class FhirReferenceTests
{
    private static readonly Uri Base = new("http://fhir.test/r4/");

    [TestCase("Patient/1", "Patient/1")]
    [TestCase("Patient/1/_history/2", "Patient/1")]
    [TestCase("http://fhir.test/r4/Patient/1", "Patient/1")]
    [TestCase("HTTP://FHIR.Test:80/r4/Patient/1/_history/2", "Patient/1")]
    [TestCase("https://other-payer.example/fhir/Organization/1", "https://other-payer.example/fhir/Organization/1")]
    [TestCase("http://fhir.test/R4/Patient/1", "http://fhir.test/R4/Patient/1")]
    [TestCase("http://fhir.test/r4x/Patient/1", "http://fhir.test/r4x/Patient/1")]
    [TestCase("https://fhir.test/r4/Patient/1", "https://fhir.test/r4/Patient/1")]
    [TestCase("http://fhir.test:8080/r4/Patient/1", "http://fhir.test:8080/r4/Patient/1")]
    public void A_reference_names_this_servers_resource_only_under_its_base(string reference, string expected) =>
        Assert.That(FhirReference.Normalize(reference, Base), Is.EqualTo(expected));

    [Test]
    public void A_base_without_its_trailing_slash_is_the_same_base() =>
        Assert.Multiple(() =>
        {
            Assert.That(FhirReference.IsUnder(new Uri("http://fhir.test/r4/Patient/1"), new Uri("http://fhir.test/r4")), Is.True);
            Assert.That(FhirReference.IsUnder(new Uri("http://fhir.test/r4x/Patient/1"), new Uri("http://fhir.test/r4")), Is.False);
        });

    [Test]
    public void A_search_value_is_the_type_and_id_whichever_server() =>
        Assert.That(FhirReference.TypeAndId("https://other-payer.example/fhir/Organization/1/_history/3"), Is.EqualTo("Organization/1"));
}
