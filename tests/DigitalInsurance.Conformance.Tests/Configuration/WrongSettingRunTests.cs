using System.Text.Json.Nodes;
using DigitalInsurance.Conformance.Tests.Browser;
using DigitalInsurance.Conformance.Tests.Runner;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Configuration;

/// <summary>
/// A wrong setting, as a user makes it, through the real suite (`dotnet test` with an environment variable): every
/// scenario fails with the one message naming the setting, its wrong value, what it accepts and how to set it, with no
/// stack trace and without starting the sandbox or a browser; the Allure results, in the folder the user named, list
/// every scenario as broken with that message.
/// </summary>
public class WrongSettingRunTests
{
    private readonly string _allureResults = Path.Combine(Path.GetTempPath(), $"dic-wrong-setting-allure-{Guid.NewGuid():N}");

    [TearDown]
    public void RemoveAllureResults()
    {
        if (Directory.Exists(_allureResults)) Directory.Delete(_allureResults, recursive: true);
    }

    [TestCase("DIC_TOKEN_AUTH_METHOD", "jwt", new[] { "'tokenAuthMethod'", "jwt", "one of post", "DIC_TOKEN_AUTH_METHOD" }, TestName = "{m}_for_a_wrong_harness_setting")]
    [TestCase("DIC_SANDBOX_FAULTS", "no-such-fault", new[] { "The embedded sandbox could not start", "no-such-fault", "DIC_SANDBOX_FAULTS" }, TestName = "{m}_for_a_sandbox_setting_the_sandbox_refuses")]
    public async Task Every_scenario_fails_with_the_one_message_naming_the_setting(string variable, string value, string[] messageParts)
    {
        var (results, output) = await ConformanceSuiteProcess.RunAsync(
            new Dictionary<string, string> { [variable] = value, ["DIC_ALLURE_RESULTS_PATH"] = _allureResults }, TimeSpan.FromMinutes(5),
            "--settings", Path.Combine(RepositoryFiles.Root, "runsettings", "sandbox.runsettings"), "--filter", "TestCategory=token|TestCategory=discovery");

        Assert.That(results.All, Has.Count.GreaterThan(3), output);
        Assert.Multiple(() =>
        {
            Assert.That(results.All.Select(r => r.Outcome), Has.All.EqualTo("Failed"));
            Assert.That(results.All.Select(r => r.Message).Distinct(), Has.Exactly(1).Items, "one message, the same for every scenario");
            var message = results.All[0].Message;
            foreach (var part in messageParts) Assert.That(message, Does.Contain(part));
            Assert.That(results.All.Select(r => r.StackTrace), Has.All.Empty, "the message alone, no stack trace");
            Assert.That(output, Does.Not.Contain("Demo Health Plan sandbox is running").And.Not.Contain("OneTimeSetUp:"));

            var allure = Directory.Exists(_allureResults)
                ? Directory.GetFiles(_allureResults, "*-result.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList()
                : [];
            Assert.That(allure, Has.Count.EqualTo(results.All.Count), "one Allure result per scenario, in the folder the user named");
            Assert.That(allure.Select(r => (string?)r["status"]), Has.All.EqualTo("broken"));
            Assert.That(allure.Select(r => (string?)r["statusDetails"]?["message"]), Has.All.EqualTo(message));
        });
    }
}
