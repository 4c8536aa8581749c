using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>Sandbox:IssuedCredentialsLog: what a client's leak test searches its outputs for.</summary>
[TestFixture]
public class IssuedCredentialsLogTests
{
    [Test, Description("Every credential of a launch is recorded with its kind: client secret, code, tokens, verification code, email")]
    public async Task A_launch_records_every_credential_it_hands_out()
    {
        var log = Path.Combine(Path.GetTempPath(), $"issued-{Guid.NewGuid():N}.tsv");
        try
        {
            await using var sandbox = await TestSandbox.StartAsync(settings: new Dictionary<string, string?> { ["Sandbox:IssuedCredentialsLog"] = log });
            var token = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, "openid fhirUser patient/*.read");

            var recorded = File.ReadAllLines(log).Select(l => l.Split('\t', 2)).ToLookup(p => p[0], p => p[1]);
            Assert.Multiple(() =>
            {
                Assert.That(recorded["client secret"], Does.Contain(sandbox.Client.ClientSecret));
                Assert.That(recorded["access token"], Is.EqualTo(new[] { token.AccessToken }));
                Assert.That(recorded["id token"], Is.EqualTo(new[] { token.IdToken }));
                Assert.That(recorded["authorization code"].Single(), Is.Not.Empty);
                Assert.That(recorded["verification code"].Single(), Does.Match(@"^\d{6}$"));
                Assert.That(recorded["member email"].Single(), Does.Contain("@"));
            });
        }
        finally
        {
            File.Delete(log);
        }
    }
}
