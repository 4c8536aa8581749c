using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

/// <summary>
/// The data set data-required-elements-only (issue #13; the detection suite's environment-required-elements-only runs
/// the whole conformance suite against it): Test Member 1 enrolls with what it keeps for enrollment, and the member's
/// resources are served as stored, nothing added. With a fault that serves an element with a wrong value, that value is
/// served (the conformance suite then fails it through validation, as with the shipped data).
/// </summary>
[NonParallelizable]
public class RequiredElementsOnlyDataSetTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "data-required-elements-only");

    private static Task<TestSandbox> StartAsync(params string[] faults) =>
        TestSandbox.StartAsync(faults: faults, settings: new Dictionary<string, string?> { ["Sandbox:DataFolder"] = Folder });

    [Test]
    public async Task Test_member_1_enrolls_and_gets_their_resources_as_stored()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut);
        Assert.That(token.Patient, Is.EqualTo("jason-argonaut"));

        using var jason = new FhirHttp(sandbox.Endpoints.FhirBaseUrl, token.AccessToken);
        var patient = (await jason.GetAsync("Patient/jason-argonaut")).Json;
        var bundle = (await jason.GetAsync("Coverage?_include=Coverage:payor")).Bundle;
        Assert.Multiple(() =>
        {
            Assert.That(patient.Select(p => p.Key), Is.EquivalentTo(new[] { "resourceType", "id", "meta", "name", "birthDate", "address" }));
            Assert.That(DirectFhir.Matches(bundle), Is.EqualTo(new[] { "coverage-jason-medical" }));
            Assert.That(DirectFhir.Included(bundle), Is.EqualTo(new[] { "Organization/demo-health-plan" }));
        });
    }

    [Test]
    public async Task A_fault_that_serves_an_element_with_a_wrong_value_does_so_with_this_data_set_too()
    {
        await using var sandbox = await StartAsync("patient-invalid-gender");
        using var jason = new FhirHttp(sandbox.Endpoints.FhirBaseUrl, (await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut)).AccessToken);

        Assert.That((string?)(await jason.GetAsync("Patient/jason-argonaut")).Json["gender"], Is.EqualTo("invalid-gender"));
    }
}
