using System.Net;
using DigitalInsurance.Conformance.Support.Fhir;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Fhir;

/// <summary>FhirResponse.Describe(), the "Observed:" part of many failure messages, says why a 200 is still no resource.</summary>
public sealed class FhirResponseDescribeTests
{
    [Test]
    public void A_200_whose_body_is_cut_off_says_the_body_is_not_a_resource()
    {
        var described = Response(HttpStatusCode.OK, """{"resourceType":"Patient","id":"a""").Describe();

        Assert.That(described, Does.StartWith("GET /r4/Patient/a answered 200 OK (application/fhir+json); the body is not a FHIR JSON resource: "));
    }

    [Test]
    public void A_200_with_a_resource_and_an_error_status_are_described_by_status_alone()
    {
        Assert.That(Response(HttpStatusCode.OK, """{"resourceType":"Patient","id":"a"}""").Describe(),
            Is.EqualTo("GET /r4/Patient/a answered 200 OK (application/fhir+json)"));
        Assert.That(Response(HttpStatusCode.Unauthorized, "").Describe(),
            Is.EqualTo("GET /r4/Patient/a answered 401 Unauthorized (application/fhir+json)"));
    }

    private static FhirResponse Response(HttpStatusCode status, string body) =>
        new(HttpMethod.Get, new Uri("http://127.0.0.1:9/r4/Patient/a"), status, FhirApi.FhirJson, new Dictionary<string, string>(), body);
}
