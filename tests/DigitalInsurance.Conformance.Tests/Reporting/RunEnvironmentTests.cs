using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Session;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Reporting;

/// <summary>The Allure environment names the settings that change what a run verifies.</summary>
public class RunEnvironmentTests
{
    [Test]
    public void Lists_policy_scope_page_model_token_auth_method_PKCE_and_shard()
    {
        var settings = SettingsBinder.Bind(new Dictionary<string, string?>
        {
            ["scope"] = "patient/*.read openid fhirUser",
            ["pageModel"] = "1uphealth",
            ["tokenAuthMethod"] = "basic",
            ["usePkce"] = "true",
            ["shardIndex"] = "1",
            ["shardCount"] = "3",
            ["policy"] = "c4dic-must-support=warn",
        }, new Dictionary<string, string?>());

        var environment = RunEnvironment.Of(settings);

        Assert.Multiple(() =>
        {
            Assert.That(environment["policy"], Does.StartWith("c4dic-must-support=warn"));
            Assert.That(environment["scope"], Is.EqualTo("patient/*.read openid fhirUser"));
            Assert.That(environment["page.model"], Is.EqualTo("1uphealth"));
            Assert.That(environment["token.auth.method"], Is.EqualTo("client_secret_basic"));
            Assert.That(environment["pkce"], Is.EqualTo("S256"));
            Assert.That(environment["shard"], Does.StartWith("2 of 3"));
        });
    }

    [Test]
    public void Defaults_read_as_what_they_mean()
    {
        var environment = RunEnvironment.Of(SettingsBinder.Bind(new Dictionary<string, string?>(), new Dictionary<string, string?>()));

        Assert.That(new[] { environment["page.model"], environment["token.auth.method"], environment["pkce"], environment["shard"] },
            Is.EqualTo(new[] { "sandbox", "client_secret_post", "auto", "all scenarios (no sharding)" }));
    }
}
