using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>Variation patient-only-with-launch-patient: the token response's patient follows the launch/patient scope.</summary>
[TestFixture]
public class LaunchPatientVariationTests
{
    private const string Variation = "patient-only-with-launch-patient";

    private static async Task<(bool Without, bool With)> PatientNamedAsync(TestSandbox sandbox) =>
        ((await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, "patient/*.read")).Patient is not null,
         (await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, "launch/patient patient/*.read")).Patient is not null);

    [Test, Description("A clean sandbox names the patient with and without launch/patient")]
    public async Task CleanSandbox_NamesThePatientEitherWay()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.That(await PatientNamedAsync(sandbox), Is.EqualTo((true, true)));
    }

    [Test, VariationTest(Variation)]
    [Description("patient-only-with-launch-patient names the patient only when the app asked for launch/patient; the token still reads the member's data")]
    public async Task PatientOnlyWithLaunchPatient_NamesThePatientOnlyWhenAsked()
    {
        await using var sandbox = await TestSandbox.StartAsync(settings: new Dictionary<string, string?> { ["Sandbox:Variations"] = Variation });
        Assert.That(await PatientNamedAsync(sandbox), Is.EqualTo((false, true)));

        var token = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, "patient/*.read");
        using var http = new HttpClient { BaseAddress = sandbox.Endpoints.FhirBaseUrl };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.AccessToken);
        using var search = await http.GetAsync("Patient");
        Assert.That(search.IsSuccessStatusCode, Is.True, $"Patient search with the token answered {(int)search.StatusCode}");
    }
}
