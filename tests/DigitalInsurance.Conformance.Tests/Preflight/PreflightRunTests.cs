using DigitalInsurance.Conformance.Tests.Browser;
using DigitalInsurance.Conformance.Tests.Runner;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Preflight;

/// <summary>
/// `dotnet test -s runsettings/1up-demo.runsettings --filter TestCategory=preflight` with placeholder secrets, as a user
/// tries a payer for the first time, against hosts that cannot resolve anywhere (.invalid, RFC 2606): the run starts,
/// and the preflight reports each problem in one line with its fix instead of running into timeouts.
/// </summary>
public class PreflightRunTests
{
    private readonly string _allureResults = Path.Combine(Path.GetTempPath(), $"dic-preflight-allure-{Guid.NewGuid():N}");

    [TearDown]
    public void RemoveAllureResults()
    {
        if (Directory.Exists(_allureResults)) Directory.Delete(_allureResults, recursive: true);
    }

    private const string Secret = "placeholder-client-secret-4711";
    private const string MailboxPassword = "placeholder-mailbox-password-4711";

    [Test]
    public async Task An_unreachable_payer_fails_the_preflight_with_one_line_per_problem()
    {
        var environment = new Dictionary<string, string>
        {
            ["DIC_AUTH_BASE_URL"] = "https://auth.1up-health.invalid",
            ["DIC_FHIR_BASE_URL"] = "https://api.1up-health.invalid/r4",
            ["DIC_CLIENT_ID"] = "placeholder-client",
            ["DIC_CLIENT_SECRET"] = Secret,
            ["DIC_REDIRECT_URI"] = "https://app.example/callback",
            ["DIC_MEMBER_EMAIL"] = "qa-member@mail.example",
            ["DIC_IMAP_HOST"] = "imap.mail.invalid",
            ["DIC_IMAP_USER"] = "qa-member@mail.example",
            ["DIC_IMAP_PASSWORD"] = MailboxPassword,
            ["DIC_ALLURE_RESULTS_PATH"] = _allureResults,
        };

        var (results, output) = await ConformanceSuiteProcess.RunAsync(environment, TimeSpan.FromMinutes(5),
            "--settings", Path.Combine(RepositoryFiles.Root, "runsettings", "1up-demo.runsettings"), "--filter", "TestCategory=preflight");

        Assert.Multiple(() =>
        {
            Assert.That(results.All.Select(r => r.Name), Is.EquivalentTo(new[]
            {
                "The_settings_enrollment_page_model_browser_and_FHIR_packages_are_in_place",
                "The_authorization_and_FHIR_servers_resolve_accept_connections_and_answer_HTTP",
                "SMART_discovery_answers_and_names_the_configured_authorization_and_token_endpoints",
                "The_authorization_token_FHIR_and_JWKS_servers_are_reached_over_TLS_1_2_or_later",
                "The_member_s_mailbox_accepts_the_harness_s_login",
            }), output);
            var local = results["The_settings_enrollment_page_model_browser_and_FHIR_packages_are_in_place"];
            Assert.That(local.Outcome, Is.EqualTo("Passed"), local.Message);

            var servers = results["The_authorization_and_FHIR_servers_resolve_accept_connections_and_answer_HTTP"];
            Assert.That(servers.Outcome, Is.EqualTo("Failed"));
            Assert.That(Lines(servers.Message), Is.EqualTo(new[]
            {
                "[harness-preflight] authorization and FHIR servers: 2 problems",
                "FAIL  DNS auth.1up-health.invalid: …",
                "FAIL  DNS api.1up-health.invalid: …",
            }).Using<string, string>((actual, expected) => actual.StartsWith(expected.TrimEnd('…'), StringComparison.Ordinal)));
            Assert.That(servers.Message, Does.Contain("Fix: check authBaseUrl (DIC_AUTH_BASE_URL)").And.Contain("Fix: check fhirBaseUrl (DIC_FHIR_BASE_URL)"));

            var discovery = results["SMART_discovery_answers_and_names_the_configured_authorization_and_token_endpoints"];
            Assert.That(discovery.Outcome, Is.EqualTo("Failed"));
            Assert.That(Lines(discovery.Message)[1], Does.StartWith("FAIL  SMART discovery: GET https://api.1up-health.invalid/r4/.well-known/smart-configuration failed").And.Contain("Fix: check fhirBaseUrl"));

            // Servers that cannot be reached are the servers scenario's failure; their TLS is not observed, not failed.
            var transport = results["The_authorization_token_FHIR_and_JWKS_servers_are_reached_over_TLS_1_2_or_later"];
            Assert.That(transport.Outcome, Is.EqualTo("NotExecuted"), transport.Message);
            Assert.That(transport.Message, Does.Contain("Not observed [smart-transport-tls]"));

            var mailbox = results["The_member_s_mailbox_accepts_the_harness_s_login"];
            Assert.That(mailbox.Outcome, Is.EqualTo("Failed"));
            Assert.That(Lines(mailbox.Message)[1], Does.StartWith("FAIL  mailbox login: Could not connect to the IMAP server imap.mail.invalid:993").And.Contain("DIC_IMAP_HOST"));

            Assert.That(results.All.Select(r => r.StackTrace), Has.All.Empty, "setup problems are shown as their message alone");
            Assert.That(output, Does.Not.Contain(Secret).And.Not.Contain(MailboxPassword));
        });
    }

    private static string[] Lines(string message) => message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
