using System.Net;
using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Hosting;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

/// <summary>Members come from whatever FHIR data the sandbox is given, end to end: enrollment, token, API.</summary>
[NonParallelizable]
public class CustomDataSetTests
{
    private const string MemberBundle = """
        {"resourceType":"Bundle","type":"collection","entry":[
          {"resource":{"resourceType":"Organization","id":"acme-payer","active":true,"name":"Acme Fictional Payer"}},
          {"resource":{"resourceType":"Patient","id":"rosa-diaz","identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MB"}]},"system":"urn:acme:member","value":"ACME-1"}],
            "name":[{"family":"Díaz","given":["Rosa"]}],"gender":"female","birthDate":"1970-07-04","address":[{"postalCode":"73301"}]}},
          {"resource":{"resourceType":"Coverage","id":"rosa-coverage","status":"active","subscriberId":"ACME-1",
            "beneficiary":{"reference":"Patient/rosa-diaz"},"subscriber":{"reference":"Patient/rosa-diaz"},"payor":[{"reference":"Organization/acme-payer"}]}}]}
        """;

    [Test]
    public async Task A_member_defined_only_in_a_custom_data_folder_enrolls_and_reads_their_data()
    {
        using var folder = new TempDataFolder().With("rosa.json", MemberBundle);
        await using var sandbox = await TestSandbox.StartAsync(settings: new Dictionary<string, string?> { ["Sandbox:DataFolder"] = folder.Path });
        var token = await sandbox.AuthorizeAsync(new TestMember("rosa", "DÍAZ", new DateOnly(1970, 7, 4), "acme-1", "73301"));
        Assert.That(token.Patient, Is.EqualTo("rosa-diaz"));

        using var rosa = new FhirHttp(sandbox.Endpoints.FhirBaseUrl, token.AccessToken);
        var bundle = (await rosa.GetAsync("Coverage?_include=Coverage:payor")).Bundle;
        Assert.That(DirectFhir.Matches(bundle), Is.EqualTo(new[] { "rosa-coverage" }));
        Assert.That(DirectFhir.Included(bundle), Is.EqualTo(new[] { "Organization/acme-payer" }));
        Assert.That(DirectFhir.Matches((await rosa.GetAsync("Patient?name=diaz")).Bundle), Is.EqualTo(new[] { "rosa-diaz" }), "accent-insensitive");
        // Test Member 1 is not in this data set.
        Assert.That((await rosa.GetAsync("Patient/jason-argonaut")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public void A_malformed_data_file_stops_the_sandbox_from_starting_with_the_file_named()
    {
        using var folder = new TempDataFolder().With("rosa.json", MemberBundle).With("broken.json", """{"resourceType":"Patient","id":"x","birthDate":"1970-01-01",""");
        var error = Assert.ThrowsAsync<SandboxConfigurationException>(async () =>
            await SandboxServer.StartAsync(new SandboxStartOptions { DataFolder = folder.Path }))!;
        Assert.That(error.Message, Does.StartWith("Sandbox data file 'broken.json' is not valid FHIR R4 JSON:").And.Not.Contain("\n"));
    }
}
