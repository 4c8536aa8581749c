using System.Net;
using System.Net.Http.Headers;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>A token granted patient/Patient.read: what the FHIR API answers for the member's Patient and Coverage.</summary>
[TestFixture]
public class ScopeEnforcementFaultTests
{
    private static async Task<(HttpStatusCode Patient, HttpStatusCode Coverage)> ReadWithPatientScopeAsync(TestSandbox sandbox)
    {
        var token = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, "patient/Patient.read");
        using var http = new HttpClient { BaseAddress = sandbox.Endpoints.FhirBaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        using var patient = await http.GetAsync($"Patient/{token.Patient}");
        using var coverage = await http.GetAsync($"Coverage?patient={token.Patient}");
        return (patient.StatusCode, coverage.StatusCode);
    }

    [Test, Description("A clean sandbox serves the Patient to a patient/Patient.read token and refuses its Coverage search with 403")]
    public async Task CleanSandbox_RefusesCoverageOutsideTheScope()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.That(await ReadWithPatientScopeAsync(sandbox), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.Forbidden)));
    }

    [Test, FaultTest("scope-not-enforced")]
    [Description("scope-not-enforced serves the Coverage search too")]
    public async Task ScopeNotEnforced_ServesCoverage()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["scope-not-enforced"]);
        Assert.That(await ReadWithPatientScopeAsync(sandbox), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
    }
}
