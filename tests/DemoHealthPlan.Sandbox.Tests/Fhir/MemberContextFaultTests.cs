using System.Net;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using Hl7.Fhir.Model;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

/// <summary>The member-identity fault: enrollment succeeds for the member, but the account and every token are another member's.</summary>
[NonParallelizable]
public class MemberContextFaultTests
{
    [Test, FaultTest("patient-context-other-member")]
    public async System.Threading.Tasks.Task Patient_context_other_member_gives_the_enrolling_member_the_next_members_context()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["patient-context-other-member"]);
        var token = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut);
        // Jason is first in the data set; his dependant Jessica, next, shares his Coverage: Amy, after her, does not.
        Assert.That(token.Patient, Is.EqualTo("amy-shaw"));
        using var fhir = new FhirHttp(sandbox.Endpoints.FhirBaseUrl, token.AccessToken);
        var patient = await fhir.GetAsync("Patient/amy-shaw");
        Assert.That(patient.Status, Is.EqualTo(HttpStatusCode.OK), "the token is a working token for the other member");
        Assert.That(((Patient)patient.Resource).Name.Single().Given.First(), Is.EqualTo("Amy"));
        Assert.That((await fhir.GetAsync("Patient/jason-argonaut")).Status, Is.EqualTo(HttpStatusCode.NotFound), "Jason's own records are outside that compartment");
    }
}
