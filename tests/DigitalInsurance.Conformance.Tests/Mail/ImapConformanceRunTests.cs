using System.Runtime.Versioning;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Tests.Browser;
using DigitalInsurance.Conformance.Tests.Runner;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Mail;

/// <summary>
/// The whole conformance suite against the embedded sandbox with mailbox=imap: the sandbox delivers every
/// verification mail by SMTP to a real mail server (Dovecot), and the harness reads the codes back over IMAPS.
/// </summary>
// Dovecot, the real IMAP server these tests start, runs on Linux only.
[SupportedOSPlatform("linux")]
[NonParallelizable]
public class ImapConformanceRunTests
{
    private readonly string _allureResults = Path.Combine(Path.GetTempPath(), $"dic-imap-run-allure-{Guid.NewGuid():N}");

    [TearDown]
    public void RemoveAllureResults()
    {
        if (Directory.Exists(_allureResults)) Directory.Delete(_allureResults, recursive: true);
    }

    [Test]
    public async Task A_full_run_against_the_sandbox_passes_reading_the_codes_from_a_real_IMAP_server()
    {
        await using var mail = await DovecotMailServer.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["DIC_MAILBOX"] = "imap",
            ["DIC_IMAP_HOST"] = mail.Host,
            ["DIC_IMAP_PORT"] = mail.ImapsPort.ToString(),
            ["DIC_IMAP_USE_TLS"] = "true",
            ["DIC_IMAP_ACCEPT_INVALID_CERTIFICATE"] = "true",
            ["DIC_IMAP_USER"] = DovecotMailServer.User,
            ["DIC_IMAP_PASSWORD"] = mail.Password,
            ["DIC_SANDBOX_SMTP_HOST"] = mail.Host,
            ["DIC_SANDBOX_SMTP_PORT"] = mail.SmtpPort.ToString(),
            // member+<run>-<n>@dic-conformance.example: Dovecot files every address with a +detail in the one mailbox.
            ["DIC_MEMBER_EMAIL"] = "member+{run}@" + DovecotMailServer.Domain,
            ["DIC_ALLURE_RESULTS_PATH"] = _allureResults,
        };

        var (results, output) = await ConformanceSuiteProcess.RunAsync(environment, TimeSpan.FromMinutes(10),
            "--settings", Path.Combine(RepositoryFiles.Root, "runsettings", "sandbox.runsettings"));

        var failed = results.All.Where(r => r.Outcome != "Passed" && r.Outcome != "NotExecuted").Select(r => $"{r.Name}: {r.Message}").ToList();
        Assert.That(failed, Is.Empty, output);
        Assert.That(results.All.Count(r => r.Outcome == "Passed"), Is.GreaterThan(10));
        Assert.That(await VerificationMailsIn(mail), Is.GreaterThan(0), "the codes went through Dovecot");
        Assert.That(output, Does.Not.Contain(mail.Password));
    }

    [Test]
    public void The_sandbox_with_an_IMAP_mailbox_needs_the_SMTP_server_that_fills_it()
    {
        var error = Assert.Throws<SettingsException>(() => SettingsBinder.Bind(new Dictionary<string, string?> { ["mailbox"] = "imap", ["imapHost"] = "127.0.0.1", ["imapUser"] = "u" },
            new Dictionary<string, string?> { ["DIC_IMAP_PASSWORD"] = "p" }));

        Assert.That(error!.Message, Does.StartWith("Target 'sandbox' with mailbox 'imap' needs these settings: sandboxSmtpHost (runsettings parameter 'sandboxSmtpHost' or environment variable DIC_SANDBOX_SMTP_HOST); sandboxSmtpPort"));
    }

    private static async Task<int> VerificationMailsIn(DovecotMailServer mail)
    {
        using var client = new ImapClient();
        await client.ConnectAsync(mail.Host, mail.ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(DovecotMailServer.User, mail.Password);
        var inbox = await client.GetFolderAsync("INBOX");
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        return inbox.Count;
    }
}
