using DigitalInsurance.Conformance.Tests.Browser;
using DigitalInsurance.Conformance.Tests.Runner;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Configuration;

/// <summary>
/// A wrong setting, as a user makes it, through the real suite (`dotnet test` with an environment variable): every
/// scenario fails with the one message naming the setting, its wrong value, what it accepts and how to set it, with no
/// stack trace and without starting the sandbox or a browser.
/// </summary>
public class WrongSettingRunTests
{
    [Test]
    public async Task Every_scenario_fails_with_the_one_message_naming_the_setting()
    {
        var (results, output) = await ConformanceSuiteProcess.RunAsync(
            new Dictionary<string, string> { ["DIC_TOKEN_AUTH_METHOD"] = "jwt" }, TimeSpan.FromMinutes(5),
            "--settings", Path.Combine(RepositoryFiles.Root, "runsettings", "sandbox.runsettings"), "--filter", "TestCategory=token|TestCategory=discovery");

        Assert.That(results.All, Has.Count.GreaterThan(3), output);
        Assert.Multiple(() =>
        {
            Assert.That(results.All.Select(r => r.Outcome), Has.All.EqualTo("Failed"));
            Assert.That(results.All.Select(r => r.Message).Distinct(), Has.Exactly(1).Items, "one message, the same for every scenario");
            var message = results.All[0].Message;
            Assert.That(message, Does.Contain("'tokenAuthMethod'").And.Contain("jwt").And.Contain("one of post").And.Contain("DIC_TOKEN_AUTH_METHOD"));
            Assert.That(results.All.Select(r => r.StackTrace), Has.All.Empty, "the message alone, no stack trace");
            Assert.That(output, Does.Not.Contain("Demo Health Plan sandbox is running").And.Not.Contain("OneTimeSetUp:"));
        });
    }
}
