using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>
/// The form of the id_token's fhirUser claim: the absolute URL of the member's Patient on the FHIR base by default,
/// relative to that base under fhiruser-relative-url, on another server under the fault fhiruser-other-server.
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
}
