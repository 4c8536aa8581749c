using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.OAuth;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.OAuth;

public class CodeExpiryTests
{
    private static HarnessSettings Bind(Dictionary<string, string?> parameters, Dictionary<string, string?>? environment = null) =>
        SettingsBinder.Bind(parameters, environment ?? new());

    private static readonly Dictionary<string, string?> External = new()
    {
        ["target"] = "external",
        ["authBaseUrl"] = "https://auth.payer.example",
        ["fhirBaseUrl"] = "https://api.payer.example/r4",
        ["clientId"] = "client-1",
        ["redirectUri"] = "https://app.example/callback",
    };

    private static readonly Dictionary<string, string?> ExternalSecrets = new()
    {
        ["DIC_CLIENT_SECRET"] = "secret-value",
        ["DIC_MEMBER_EMAIL"] = "member@mail.payer-test.org",
    };

    [Test]
    public void The_sandbox_uses_the_lifetime_it_was_started_with() =>
        Assert.That(CodeExpiry.LifetimeFor(Bind(new() { ["sandboxCodeLifetimeSeconds"] = "15", ["codeLifetimeSeconds"] = "600" })),
            Is.EqualTo(TimeSpan.FromSeconds(15)));

    [Test]
    public void The_sandbox_without_a_setting_uses_its_own_default()
    {
        var settings = Bind(new());
        Assert.That(CodeExpiry.LifetimeFor(settings), Is.EqualTo(CodeExpiry.SandboxDefaultLifetime));
        Assert.That(CodeExpiry.SourceOf(settings), Does.Contain("sandbox's default"));
    }

    [Test]
    public void The_running_sandbox_s_own_lifetime_wins_over_the_harness_s_assumption()
    {
        var settings = Bind(new() { ["sandboxVariations"] = "code-lifetime-10-minutes" });
        Assert.That(CodeExpiry.LifetimeFor(settings, runningSandbox: TimeSpan.FromMinutes(10)), Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(CodeExpiry.SourceOf(settings, runningSandbox: TimeSpan.FromMinutes(10)), Is.EqualTo("as the running sandbox reports it"));
        var external = Bind(External, ExternalSecrets);
        Assert.That(CodeExpiry.LifetimeFor(external, runningSandbox: TimeSpan.FromMinutes(10)), Is.EqualTo(TimeSpan.FromSeconds(300)),
            "an external payer's lifetime comes from codeLifetimeSeconds only");
    }

    [Test]
    public void An_external_target_uses_codeLifetimeSeconds_defaulting_to_300()
    {
        Assert.That(CodeExpiry.LifetimeFor(Bind(External, ExternalSecrets)), Is.EqualTo(TimeSpan.FromSeconds(300)));
        var configured = Bind(new(External) { ["codeLifetimeSeconds"] = "60", ["sandboxCodeLifetimeSeconds"] = "5" }, ExternalSecrets);
        Assert.That(CodeExpiry.LifetimeFor(configured), Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(CodeExpiry.SourceOf(configured), Is.EqualTo("setting codeLifetimeSeconds"));
    }

    [Test]
    public void The_environment_variable_sets_the_code_lifetime() =>
        Assert.That(Bind(new(), new() { ["DIC_CODE_LIFETIME_SECONDS"] = "120" }).CodeLifetime, Is.EqualTo(TimeSpan.FromSeconds(120)));

    [Test]
    public void A_code_lifetime_that_is_not_a_number_is_a_one_line_error_naming_the_setting()
    {
        var error = Assert.Throws<SettingsException>(() => Bind(new() { ["codeLifetimeSeconds"] = "five minutes" }))!;
        Assert.That(error.Message, Does.Contain("codeLifetimeSeconds").And.Contain("DIC_CODE_LIFETIME_SECONDS"));
    }

    [TestCase(5, 5 + 2.5)]
    [TestCase(15, 15 + 3.5)]
    [TestCase(300, 300 + 32)]
    public void The_wait_is_the_lifetime_plus_two_seconds_and_ten_percent(int lifetimeSeconds, double waitSeconds) =>
        Assert.That(CodeExpiry.WaitAfterRedirect(TimeSpan.FromSeconds(lifetimeSeconds)), Is.EqualTo(TimeSpan.FromSeconds(waitSeconds)));
}
