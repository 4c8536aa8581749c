using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using DemoHealthPlan.Sandbox.Tests.Fhir;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>
/// The form of the id_token's fhirUser claim: the absolute URL of the member's Patient on the FHIR base by default,
/// relative to that base under fhiruser-relative-url, the member's RelatedPerson under fhiruser-related-person, on another
/// server under the fault fhiruser-other-server.
/// </summary>
[TestFixture]
public class FhirUserClaimTests
{
    private static async Task<string?> FhirUserOfAsync(TestSandbox sandbox)
    {
        var token = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, "openid fhirUser patient/*.read");
        return IdTokens.Read(token.IdToken!).GetClaim("fhirUser").Value;
    }

    [Test, VariationTest("fhiruser-relative-url")]
    [Description("fhiruser-relative-url: fhirUser is Patient/<id>, relative to the FHIR base; the Patient is still readable")]
    public async Task FhirUserRelativeUrl_NamesThePatientRelativeToTheFhirBase()
    {
        await using var sandbox = await TestSandbox.StartAsync(settings: new Dictionary<string, string?> { ["Sandbox:Variations"] = "fhiruser-relative-url" });
        Assert.That(await FhirUserOfAsync(sandbox), Is.EqualTo("Patient/jason-argonaut"));
    }

    [Test, FaultTest("fhiruser-other-server")]
    [Description("fhiruser-other-server: fhirUser names the member's Patient on another payer's server")]
    public async Task FhirUserOtherServer_NamesThePatientElsewhere()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["fhiruser-other-server"]);
        Assert.That(await FhirUserOfAsync(sandbox), Is.EqualTo("https://other-payer.example/fhir/Patient/jason-argonaut"));
    }

    [Test, VariationTest("fhiruser-related-person")]
    [Description("fhiruser-related-person: fhirUser names the member's RelatedPerson on the FHIR base, readable with the member's token and naming the member as its patient")]
    public async Task FhirUserRelatedPerson_NamesTheMembersRepresentative()
    {
        await using var sandbox = await TestSandbox.StartAsync(settings: new Dictionary<string, string?> { ["Sandbox:Variations"] = "fhiruser-related-person" });
        var token = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, "openid fhirUser patient/*.read");
        var fhirUser = IdTokens.Read(token.IdToken!).GetClaim("fhirUser").Value;
        Assert.That(fhirUser, Is.EqualTo(new Uri(sandbox.Endpoints.FhirBaseUrl, "RelatedPerson/jennifer-argonaut").AbsoluteUri));

        using var fhir = new FhirHttp(sandbox.Endpoints.FhirBaseUrl, token.AccessToken);
        var representative = (Hl7.Fhir.Model.RelatedPerson)(await fhir.GetAsync(fhirUser)).Resource;
        Assert.That(representative.Patient.Reference, Is.EqualTo("Patient/jason-argonaut"));
    }

    [Test]
    [Description("A RelatedPerson is in the Patient compartment of its patient only: another member's token cannot read Jason's representative")]
    public async Task RelatedPerson_IsReadableOnlyWithItsPatientsToken()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var amy = await sandbox.AuthorizeAsync(FhirTestData.Amy, "patient/*.read");
        using var fhir = new FhirHttp(sandbox.Endpoints.FhirBaseUrl, amy.AccessToken);
        Assert.That((await fhir.GetAsync("RelatedPerson/jennifer-argonaut")).Status, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
    }
}
