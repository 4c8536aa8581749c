using System.Text.Json.Nodes;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>
/// SMART scope syntax: the clean sandbox is a SMART 2 server (permission-v1 and permission-v2, v2 scopes granted); the
/// variation v1-scopes-only is a SMART 1 server; the fault v2-scopes-refused advertises v2 and refuses it.
/// </summary>
[TestFixture]
public class ScopeVersionTests
{
    /// <summary>The SMART configuration's capabilities and scopes_supported.</summary>
    private static async Task<(string[] Capabilities, string[] Scopes)> SmartConfigurationAsync(TestSandbox sandbox)
    {
        using var http = new HttpClient();
        var smart = JsonNode.Parse(await http.GetStringAsync(new Uri(sandbox.Endpoints.BaseUrl, ".well-known/smart-configuration")))!;
        string[] ListAt(string name) => smart[name]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        return (ListAt("capabilities"), ListAt("scopes_supported"));
    }

    /// <summary>A request for the v2 scope as the harness sends it, before any sign-in; the redirect when refused at once.</summary>
    private static async Task<AuthorizationRedirect?> RefusalOfV2RequestAsync(TestSandbox sandbox)
    {
        using var flow = sandbox.NewFlow();
        await flow.OpenAuthorizationAsync(new AuthorizeRequest { Scope = "launch/patient patient/*.rs" });
        return flow.Redirect;
    }

    [Test]
    public async Task The_clean_sandbox_advertises_and_grants_v2_scopes_and_still_v1()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (capabilities, scopes) = await SmartConfigurationAsync(sandbox);
        var v2 = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, "patient/*.rs");
        var v1 = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, "patient/*.read");

        Assert.Multiple(() =>
        {
            Assert.That(capabilities, Does.Contain("permission-v2").And.Contain("permission-v1"));
            Assert.That(scopes, Does.Contain("patient/*.rs").And.Contain("patient/*.read"));
            Assert.That(v2.Scope?.Split(' '), Is.EquivalentTo(new[] { "patient/*.rs" }), v2.ToString());
            Assert.That(v1.Scope?.Split(' '), Is.EquivalentTo(new[] { "patient/*.read" }), "SMART 2: v1 scopes are returned when v1 scopes are requested");
        });
    }

    [Test, VariationTest("v1-scopes-only")]
    [Description("v1-scopes-only: no permission-v2 and no v2 scopes advertised; a v2 request is refused with invalid_scope, a v1 request granted")]
    public async Task V1ScopesOnly_AdvertisesAndGrantsOnlyV1Scopes()
    {
        await using var sandbox = await TestSandbox.StartAsync(settings: new Dictionary<string, string?> { ["Sandbox:Variations"] = "v1-scopes-only" });
        var (capabilities, scopes) = await SmartConfigurationAsync(sandbox);
        var refused = await RefusalOfV2RequestAsync(sandbox);
        var v1 = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, "patient/*.read");

        Assert.Multiple(() =>
        {
            Assert.That(capabilities, Does.Not.Contain("permission-v2").And.Contain("permission-v1").And.Contain("launch-standalone"));
            Assert.That(scopes, Does.Not.Contain("patient/*.rs").And.Not.Contain("patient/Coverage.rs").And.Contain("patient/*.read"));
            Assert.That(refused?.Error, Is.EqualTo("invalid_scope"));
            Assert.That(v1.Scope?.Split(' '), Is.EquivalentTo(new[] { "patient/*.read" }));
        });
    }

    [Test, FaultTest("v2-scopes-refused")]
    [Description("v2-scopes-refused: permission-v2 still advertised, but a v2 request is refused with invalid_scope; v1 still granted")]
    public async Task V2ScopesRefused_AdvertisesV2ButRefusesIt()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["v2-scopes-refused"]);
        var (capabilities, _) = await SmartConfigurationAsync(sandbox);
        var refused = await RefusalOfV2RequestAsync(sandbox);
        var v1 = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut, "patient/*.read");

        Assert.Multiple(() =>
        {
            Assert.That(capabilities, Does.Contain("permission-v2"));
            Assert.That(refused?.Error, Is.EqualTo("invalid_scope"));
            Assert.That(v1.AccessToken, Is.Not.Null, v1.ToString());
        });
    }
}
