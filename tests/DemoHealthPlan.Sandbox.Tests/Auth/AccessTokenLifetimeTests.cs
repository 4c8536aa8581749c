using System.Net;
using System.Net.Http.Headers;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>
/// An access token opens the FHIR API for the lifetime its token response states (expires_in), not after; the sandbox's
/// clock is moved instead of waiting.
/// </summary>
[TestFixture]
public class AccessTokenLifetimeTests
{
    /// <summary>The member's Patient read with a fresh token, then again once the clock is past the token's stated lifetime.</summary>
    private static async Task<(bool StatesItsHour, HttpStatusCode WithinLifetime, HttpStatusCode AfterLifetime)> ReadBeforeAndAfterLifetimeAsync(TestSandbox sandbox)
    {
        var token = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut);
        using var http = new HttpClient { BaseAddress = sandbox.Endpoints.FhirBaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        var expiresIn = token.ExpiresIn;
        sandbox.Clock.Advance(TimeSpan.FromSeconds((expiresIn ?? 0) - 5));
        using var within = await http.GetAsync($"Patient/{token.Patient}");
        sandbox.Clock.Advance(TimeSpan.FromSeconds(10));
        using var after = await http.GetAsync($"Patient/{token.Patient}");
        // OpenIddict counts expires_in down from the configured 3600 s to the moment it answers.
        return (expiresIn is >= 3590 and <= 3600, within.StatusCode, after.StatusCode);
    }

    [Test, Description("A clean sandbox serves the Patient until the token's expires_in has passed and answers 401 after it")]
    public async Task CleanSandbox_RefusesTheTokenAfterItsLifetime()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.That(await ReadBeforeAndAfterLifetimeAsync(sandbox), Is.EqualTo((true, HttpStatusCode.OK, HttpStatusCode.Unauthorized)));
    }

    [Test, FaultTest("access-token-never-expires")]
    [Description("access-token-never-expires states the same lifetime but serves the Patient after it too")]
    public async Task AccessTokenNeverExpires_ServesAfterTheLifetime()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["access-token-never-expires"]);
        Assert.That(await ReadBeforeAndAfterLifetimeAsync(sandbox), Is.EqualTo((true, HttpStatusCode.OK, HttpStatusCode.OK)));
    }
}
