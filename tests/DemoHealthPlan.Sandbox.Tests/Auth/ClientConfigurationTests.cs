using System.Net;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>Clients come from configuration (Sandbox:Clients) and are seeded or updated in OpenIddict's store on every start.</summary>
[TestFixture]
public class ClientConfigurationTests
{
    private const string SecondClient = "second-payer-app";
    private const string SecondRedirect = "http://127.0.0.1:9/second/callback";

    private static Dictionary<string, string?> WithSecondClient(string secret) => new()
    {
        ["Sandbox:Clients:1:ClientId"] = SecondClient,
        ["Sandbox:Clients:1:ClientSecret"] = secret,
        ["Sandbox:Clients:1:DisplayName"] = "Second Payer App",
        ["Sandbox:Clients:1:RedirectUris:0"] = SecondRedirect,
    };

    [Test, Description("A configured client is registered: consent names it, its redirect URI receives the code, its secret redeems it")]
    public async Task ConfiguredClient_CanAuthorize()
    {
        await using var sandbox = await TestSandbox.StartAsync(settings: WithSecondClient("second-fake-secret"));
        using var flow = sandbox.NewFlow();
        var email = SandboxFlow.NewEmail();
        var request = new AuthorizeRequest { ClientId = SecondClient, RedirectUri = SecondRedirect };

        var signIn = await flow.OpenAuthorizationAsync(request);
        Assert.That(signIn.VisibleText, Does.Contain("Second Payer App"));
        await flow.CreateAccountAsync(TestMembers.JasonArgonaut, email);
        var consent = await flow.EnterMailedCodeAsync(email);
        Assert.That(consent.Heading, Is.EqualTo("Allow Second Payer App to access your information?"));
        var redirect = await flow.DecideAsync(allow: true);
        Assert.That(redirect.Target, Is.EqualTo(SecondRedirect));

        var token = await flow.ExchangeCodeAsync(redirect.Code!, redirectUri: SecondRedirect, clientId: SecondClient, clientSecret: "second-fake-secret");
        Assert.That(token.Status, Is.EqualTo(HttpStatusCode.OK), token.ToString());

        var idFromOtherClient = await flow.OpenAuthorizationAsync(new AuthorizeRequest { ClientId = SecondClient });
        Assert.That(idFromOtherClient.Status, Is.EqualTo(HttpStatusCode.BadRequest), "the default client's redirect URI is not the second client's");
    }

    [Test, Description("Restarting on the same state folder with a changed secret updates the stored client")]
    public async Task ChangedSecret_IsUpdatedOnRestart()
    {
        var folder = Path.Combine(Path.GetTempPath(), "dhp-clients-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (await TestSandbox.StartAsync(settings: WithSecondClient("old-fake-secret"), stateFolder: folder)) { }

            await using var sandbox = await TestSandbox.StartAsync(settings: WithSecondClient("new-fake-secret"), stateFolder: folder);
            using var flow = sandbox.NewFlow();
            var request = new AuthorizeRequest { ClientId = SecondClient, RedirectUri = SecondRedirect };
            var redirect = await flow.AuthorizeNewMemberAsync(TestMembers.JasonArgonaut, request);
            var withOld = await flow.ExchangeCodeAsync(redirect.Code!, redirectUri: SecondRedirect, clientId: SecondClient, clientSecret: "old-fake-secret");
            var withNew = await flow.ExchangeCodeAsync(redirect.Code!, redirectUri: SecondRedirect, clientId: SecondClient, clientSecret: "new-fake-secret");

            Assert.That((withOld.Status, withOld.Error), Is.EqualTo((HttpStatusCode.Unauthorized, "invalid_client")));
            Assert.That(withNew.Status, Is.EqualTo(HttpStatusCode.OK), withNew.ToString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
