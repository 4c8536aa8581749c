using DigitalInsurance.Conformance.Support.Configuration;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Configuration;

public class SettingsBinderTests
{
    private static HarnessSettings Bind(Dictionary<string, string?>? parameters = null, Dictionary<string, string?>? environment = null) =>
        SettingsBinder.Bind(parameters ?? new(), environment ?? new());

    internal static readonly Dictionary<string, string?> CompleteExternal = new()
    {
        ["target"] = "external",
        ["authBaseUrl"] = "https://auth.payer.example",
        ["fhirBaseUrl"] = "https://api.payer.example/r4",
        ["clientId"] = "app",
        ["redirectUri"] = "https://app.example/callback",
    };

    internal static readonly Dictionary<string, string?> ExternalSecrets = new()
    {
        ["DIC_CLIENT_SECRET"] = "s3cret-value",
        ["DIC_MEMBER_EMAIL"] = "qa@payer-mailbox.example",
    };

    [Test]
    public void Defaults_target_the_sandbox_with_test_member_1()
    {
        var settings = Bind();
        Assert.Multiple(() =>
        {
            Assert.That(settings.Target, Is.EqualTo(TargetKind.Sandbox));
            Assert.That(settings.Scope, Is.EqualTo("auto"));
            Assert.That(settings.Member.FirstName, Is.EqualTo("Jason"));
            Assert.That(settings.Member.LastName, Is.EqualTo("Argonaut"));
            Assert.That(settings.Member.Birthdate, Is.EqualTo("01/01/1986"));
            Assert.That(settings.Member.MemberId, Is.EqualTo("08-testmemid"));
            Assert.That(settings.Member.PostalCode, Is.EqualTo("02114"));
            Assert.That(settings.TokenAuth, Is.EqualTo(TokenAuthMethod.ClientSecretPost));
            Assert.That(settings.Mail.Kind, Is.EqualTo(MailboxKind.Smtp));
            Assert.That(settings.Validation.IgVersion, Is.EqualTo("1.0.0"));
            Assert.That(settings.Browser.Headless, Is.True);
            Assert.That(settings.Browser.Traces, Is.EqualTo(TraceRetention.All));
            Assert.That(settings.UsePkce, Is.EqualTo(PkceMode.Auto));
        });
    }

    [Test]
    public void Browser_settings_bind_headed_runs_pkce_and_trace_retention()
    {
        var settings = Bind(new() { ["headless"] = "false", ["usePkce"] = "true" }, new() { ["DIC_BROWSER_TRACES"] = "failed" });
        Assert.That(settings.Browser.Headless, Is.False);
        Assert.That(settings.UsePkce, Is.EqualTo(PkceMode.On));
        Assert.That(settings.Browser.Traces, Is.EqualTo(TraceRetention.Failed));
    }

    [Test]
    public void Environment_wins_over_runsettings()
    {
        var settings = Bind(new() { ["scope"] = "patient/*.read", ["igVersion"] = "1.0.0" },
                            new() { ["DIC_SCOPE"] = "openid fhirUser patient/*.read", ["DIC_IG_VERSION"] = "1.1.0" });
        Assert.That(settings.Scope, Is.EqualTo("openid fhirUser patient/*.read"));
        Assert.That(settings.Validation.IgVersion, Is.EqualTo("1.1.0"));
    }

    [Test]
    public void Environment_variable_names_follow_the_parameter_names()
    {
        Assert.That(SettingsBinder.EnvironmentVariableFor("authBaseUrl"), Is.EqualTo("DIC_AUTH_BASE_URL"));
        Assert.That(SettingsBinder.EnvironmentVariableFor("fhirPackages"), Is.EqualTo("DIC_FHIR_PACKAGES"));
    }

    [Test]
    public void External_target_binds_every_endpoint_and_secret()
    {
        var settings = Bind(CompleteExternal, ExternalSecrets);
        Assert.That(settings.AuthBaseUrl, Is.EqualTo(new Uri("https://auth.payer.example")));
        Assert.That(settings.ClientSecret, Is.EqualTo("s3cret-value"));
        Assert.That(settings.Member.EmailTemplate, Is.EqualTo("qa@payer-mailbox.example"));
    }

    [Test]
    public void External_target_without_endpoints_names_each_missing_setting_and_how_to_set_it()
    {
        var error = Assert.Throws<SettingsException>(() => Bind(new() { ["target"] = "external" }))!;
        Assert.That(error.Message, Does.Contain("authBaseUrl").And.Contain("DIC_AUTH_BASE_URL")
            .And.Contain("fhirBaseUrl").And.Contain("clientId").And.Contain("DIC_CLIENT_SECRET").And.Contain("redirectUri")
            .And.Contain("DIC_MEMBER_EMAIL"));
    }

    [Test]
    public void A_secret_in_runsettings_is_refused_with_the_environment_variable_to_use()
    {
        var error = Assert.Throws<SettingsException>(() => Bind(new() { ["clientSecret"] = "oops" }))!;
        Assert.That(error.Message, Does.Contain("clientSecret").And.Contain("DIC_CLIENT_SECRET"));
        Assert.That(error.Message, Does.Not.Contain("oops"));
    }

    [TestCase("target", "staging", "one of sandbox, external")]
    [TestCase("authBaseUrl", "payer.example", "absolute http(s) URL")]
    [TestCase("memberBirthdate", "1986-01-01", "MM/DD/YYYY")]
    [TestCase("tokenAuthMethod", "jwt", "one of post")]
    [TestCase("headless", "maybe", "true or false")]
    [TestCase("mailTimeoutSeconds", "soon", "whole number")]
    [TestCase("verificationCodePattern", "(\\d{6}", "valid regular expression")]
    [TestCase("igVersion", "2.0.0", "one of 1.0.0, 1.1.0")]
    [TestCase("browserTraces", "some", "one of all, failed")]
    public void An_invalid_value_names_the_setting_the_value_and_what_is_expected(string parameter, string value, string expected)
    {
        var error = Assert.Throws<SettingsException>(() => Bind(new() { [parameter] = value }))!;
        Assert.That(error.Message, Does.Contain($"'{parameter}'").And.Contain(value).And.Contain(expected)
            .And.Contain(SettingsBinder.EnvironmentVariableFor(parameter)));
    }

    [Test]
    public void A_misspelt_parameter_is_reported_rather_than_ignored()
    {
        var error = Assert.Throws<SettingsException>(() => Bind(new() { ["fhirBaseURL"] = "https://x.example" }))!;
        Assert.That(error.Message, Does.Contain("fhirBaseURL").And.Contain("fhirBaseUrl"));
    }

    [Test]
    public void Sandbox_settings_pass_through()
    {
        var settings = Bind(new() { ["sandboxFaults"] = "server-error, paging-broken", ["sandboxVariations"] = "a, b", ["sandboxCodeLifetimeSeconds"] = "5" });
        Assert.That(settings.Sandbox.Faults, Is.EqualTo(new[] { "server-error", "paging-broken" }));
        Assert.That(settings.Sandbox.Variations, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(settings.Sandbox.CodeLifetime, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void Basic_client_authentication_is_a_setting()
    {
        Assert.That(Bind(new() { ["tokenAuthMethod"] = "basic" }).TokenAuth, Is.EqualTo(TokenAuthMethod.ClientSecretBasic));
    }
}
