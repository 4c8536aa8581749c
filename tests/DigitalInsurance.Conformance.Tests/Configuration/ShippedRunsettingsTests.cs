using System.Xml.Linq;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Tests.Browser;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Configuration;

/// <summary>
/// The runsettings files users copy from bind as shipped, given the secrets that only come from the environment:
/// a misspelt or retired parameter in one of them would otherwise only show when someone points it at a payer.
/// 1up-demo also leaves the app registration and the mailbox to the environment, as its comments say.
/// </summary>
public class ShippedRunsettingsTests
{
    private static readonly Dictionary<string, string?> Environment = new()
    {
        ["DIC_CLIENT_SECRET"] = "client-secret-from-the-environment",
        ["DIC_MEMBER_EMAIL"] = "qa-member@your-mail.example",
        ["DIC_IMAP_PASSWORD"] = "mailbox-password-from-the-environment",
        ["DIC_CLIENT_ID"] = "registered-app",
        ["DIC_REDIRECT_URI"] = "https://your-app.example/callback",
        ["DIC_IMAP_HOST"] = "imap.your-mail.example",
        ["DIC_IMAP_USER"] = "qa-member@your-mail.example",
    };

    private static Dictionary<string, string?> Parameters(string file) =>
        XDocument.Load(Path.Combine(RepositoryFiles.Root, "runsettings", file))
            .Descendants("TestRunParameters").Elements("Parameter")
            .ToDictionary(p => (string)p.Attribute("name")!, p => (string?)p.Attribute("value"));

    private static IEnumerable<string> Files() =>
        Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "runsettings"), "*.runsettings").Select(Path.GetFileName)!;

    [TestCaseSource(nameof(Files))]
    public void Binds_with_what_it_leaves_to_the_environment(string file)
    {
        var parameters = Parameters(file);
        Assert.That(parameters.Keys, Is.SubsetOf(SettingsBinder.KnownParameters), "every parameter is one the harness reads");
        Assert.DoesNotThrow(() => SettingsBinder.Bind(parameters, Environment));
    }

    [Test]
    public void The_shipped_files_are_the_sandbox_the_1upHealth_demo_and_a_template() =>
        Assert.That(Files(), Is.SupersetOf(new[] { "sandbox.runsettings", "1up-demo.runsettings", "payer-template.runsettings" }));

    /// <summary>The endpoints 1upHealth's Digital Insurance guide names for its Demo Health Plan.</summary>
    [Test]
    public void The_1upHealth_demo_targets_the_hosts_and_paths_of_1upHealths_guide()
    {
        var settings = SettingsBinder.Bind(Parameters("1up-demo.runsettings"), Environment);
        Assert.Multiple(() =>
        {
            Assert.That(AuthorizationRequest.Endpoint(settings.AuthBaseUrl!, settings.AuthorizePath).AbsoluteUri,
                Is.EqualTo("https://auth.1updemohealthplan.com/oauth2/authorize/digitalinsurance"));
            Assert.That(AuthorizationRequest.Endpoint(settings.AuthBaseUrl!, settings.TokenPath).AbsoluteUri,
                Is.EqualTo("https://auth.1updemohealthplan.com/oauth2/token"));
            Assert.That(settings.FhirBaseUrl!.AbsoluteUri.TrimEnd('/'), Is.EqualTo("https://api.1updemohealthplan.com/r4"));
        });
    }
}
