using DigitalInsurance.Conformance.Support.Configuration;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Configuration;

/// <summary>smart-transport-tls at binding: an external payer's authorization server and FHIR API only over https, loopback exempt.</summary>
public class TransportSettingsTests
{
    private static Dictionary<string, string?> External(string authBaseUrl, string fhirBaseUrl) =>
        new(SettingsBinderTests.CompleteExternal) { ["authBaseUrl"] = authBaseUrl, ["fhirBaseUrl"] = fhirBaseUrl };

    private static Dictionary<string, string?> Secrets => SettingsBinderTests.ExternalSecrets;

    [Test]
    public void Plain_http_authorization_server_is_a_settings_error_naming_the_setting_and_the_https_fix()
    {
        var error = Assert.Throws<SettingsException>(() =>
            SettingsBinder.Bind(External("http://auth.payer.example", "https://api.payer.example/r4"), Secrets))!;
        Assert.That(error.Message, Does.StartWith("Setting 'authBaseUrl' is http://auth.payer.example/, plain http")
            .And.Contain("[smart-transport-tls")
            .And.Contain("https://auth.payer.example/")
            .And.Contain("DIC_AUTH_BASE_URL")
            .And.Contain("loopback"));
        Assert.That(error.Message, Does.Not.Contain("s3cret-value"));
    }

    [Test]
    public void Plain_http_fhir_server_from_the_environment_is_a_settings_error_naming_its_variable()
    {
        var environment = new Dictionary<string, string?>(Secrets) { ["DIC_FHIR_BASE_URL"] = "http://api.payer.example:8080/r4" };
        var error = Assert.Throws<SettingsException>(() =>
            SettingsBinder.Bind(External("https://auth.payer.example", "https://api.payer.example/r4"), environment))!;
        Assert.That(error.Message, Does.StartWith("Setting 'fhirBaseUrl' is http://api.payer.example:8080/r4")
            .And.Contain("https://api.payer.example:8080/r4").And.Contain("DIC_FHIR_BASE_URL"));
    }

    [TestCase("http://127.0.0.1:5000", "http://127.0.0.1:5000/r4")]
    [TestCase("http://127.12.0.3:5000", "http://localhost:5001/r4")]
    [TestCase("http://[::1]:5000", "http://LOCALHOST/r4")]
    [TestCase("https://auth.payer.example", "https://api.payer.example/r4")]
    public void Https_and_loopback_hosts_bind(string authBaseUrl, string fhirBaseUrl)
    {
        var settings = SettingsBinder.Bind(External(authBaseUrl, fhirBaseUrl), Secrets);
        Assert.That(settings.AuthBaseUrl, Is.EqualTo(new Uri(authBaseUrl)));
        Assert.That(settings.FhirBaseUrl, Is.EqualTo(new Uri(fhirBaseUrl)));
    }

    [TestCase("http://128.0.0.1/r4")]
    [TestCase("http://localhost.payer.example/r4")]
    [TestCase("http://10.0.0.5/r4")]
    public void Hosts_that_only_look_local_are_not_exempt(string fhirBaseUrl)
    {
        var error = Assert.Throws<SettingsException>(() =>
            SettingsBinder.Bind(External("https://auth.payer.example", fhirBaseUrl), Secrets))!;
        Assert.That(error.Message, Does.StartWith("Setting 'fhirBaseUrl'"));
    }
}
