using System.Runtime.Versioning;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Mail;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Mail;

/// <summary>
/// <see cref="ImapInbox"/> against a real IMAP server (Dovecot, <see cref="DovecotMailServer"/>), with mail delivered to
/// it by SMTP: plain and TLS, the right message among many, and what happens to a message once it is read.
/// </summary>
// Dovecot, the real IMAP server these tests start, runs on Linux only.
[SupportedOSPlatform("linux")]
[NonParallelizable]
public class ImapInboxDovecotTests
{
    private const string Subject = "Your Demo Health Plan verification code";
    private DovecotMailServer _server = null!;

    [OneTimeSetUp]
    public async Task StartDovecot() => _server = await DovecotMailServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopDovecot() => await _server.DisposeAsync();

    private static string NewRecipient() => $"member+{Guid.NewGuid():N}@{DovecotMailServer.Domain}";

    private ImapInboxOptions Plain(ImapAfterRead afterRead = ImapAfterRead.Leave) => new()
    {
        Host = _server.Host,
        Port = _server.ImapPort,
        UseTls = false,
        User = DovecotMailServer.User,
        Password = _server.Password,
        AfterRead = afterRead,
        PollInterval = TimeSpan.FromMilliseconds(300),
    };

    private async Task SendAsync(string to, string subject, string body)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("no-reply@demo-health-plan.example"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(_server.Host, _server.SmtpPort, SecureSocketOptions.None);
        try
        {
            await smtp.SendAsync(message);
        }
        catch (SmtpCommandException e)
        {
            Assert.Fail($"Dovecot did not take the message: {e.Message}\n{_server.Log}");
        }
        await smtp.DisconnectAsync(quit: true);
    }

    [Test]
    public async Task Reads_a_verification_mail_delivered_by_SMTP_over_plain_IMAP()
    {
        var recipient = NewRecipient();
        var requestedAt = DateTimeOffset.UtcNow;
        await SendAsync(recipient, Subject, "Your verification code is 482913. It expires in 10 minutes.");

        await using var inbox = new ImapInbox(Plain());
        var mail = await inbox.WaitForMailAsync(new MailQuery(recipient, requestedAt, "verification code"), TimeSpan.FromSeconds(20));

        Assert.That(mail.To, Does.Contain(recipient));
        Assert.That(mail.Subject, Is.EqualTo(Subject));
        Assert.That(new VerificationCodeExtractor().Extract(mail), Is.EqualTo("482913"));
    }

    [Test]
    public async Task Picks_the_message_to_the_recipient_sent_after_the_request_with_the_expected_subject_among_many()
    {
        var recipient = NewRecipient();
        var someoneElse = NewRecipient();
        await SendAsync(recipient, Subject, "Old code 111111, from before the request.");
        // INTERNALDATE has whole seconds: leave a clear gap between the old mail and the request.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var requestedAt = DateTimeOffset.UtcNow;
        await SendAsync(someoneElse, Subject, "Another member's code 222222.");
        await SendAsync(recipient, Subject, "Your verification code is 333333.");
        await SendAsync(recipient, "Welcome to Demo Health Plan", "A newer mail without a code: 444444 is a phone extension.");
        await SendAsync(someoneElse, Subject, "Another member's newer code 555555.");

        await using var inbox = new ImapInbox(Plain() with { ClockSkewTolerance = TimeSpan.FromSeconds(1) });
        var mail = await inbox.WaitForMailAsync(new MailQuery(recipient, requestedAt, "verification code"), TimeSpan.FromSeconds(20));

        Assert.That(new VerificationCodeExtractor().Extract(mail), Is.EqualTo("333333"));
    }

    [Test]
    public async Task A_mail_sent_before_the_request_does_not_count()
    {
        var recipient = NewRecipient();
        await SendAsync(recipient, Subject, "Old code 111111.");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var requestedAt = DateTimeOffset.UtcNow;

        await using var inbox = new ImapInbox(Plain() with { ClockSkewTolerance = TimeSpan.FromSeconds(1) });
        var error = Assert.ThrowsAsync<MailboxException>(() => inbox.WaitForMailAsync(new MailQuery(recipient, requestedAt), TimeSpan.FromSeconds(2)));

        Assert.That(error!.Message, Does.StartWith("No email to ").And.Contain($"IMAP mailbox INBOX").And.Contain($"{_server.Host}:{_server.ImapPort}"));
    }

    [TestCase(ImapAfterRead.Leave, false)]
    [TestCase(ImapAfterRead.MarkRead, true)]
    public async Task Marks_what_it_read_as_seen_only_when_told_to(ImapAfterRead afterRead, bool seen)
    {
        var recipient = NewRecipient();
        var requestedAt = DateTimeOffset.UtcNow;
        await SendAsync(recipient, Subject, "Your verification code is 600601.");

        await using (var inbox = new ImapInbox(Plain(afterRead)))
            await inbox.WaitForMailAsync(new MailQuery(recipient, requestedAt), TimeSpan.FromSeconds(20));

        var flags = await FlagsOfMailsToAsync(recipient);
        Assert.That(flags, Has.Count.EqualTo(1), "the message stays in the mailbox");
        Assert.That(flags[0].HasFlag(MessageFlags.Seen), Is.EqualTo(seen));
    }

    [Test]
    public async Task Deletes_what_it_read_and_nothing_else_when_told_to()
    {
        var recipient = NewRecipient();
        var requestedAt = DateTimeOffset.UtcNow;
        await SendAsync(recipient, "Welcome to Demo Health Plan", "No code here.");
        await SendAsync(recipient, Subject, "Your verification code is 700701.");

        await using (var inbox = new ImapInbox(Plain(ImapAfterRead.Delete)))
        {
            var mail = await inbox.WaitForMailAsync(new MailQuery(recipient, requestedAt, "verification code"), TimeSpan.FromSeconds(20));
            Assert.That(new VerificationCodeExtractor().Extract(mail), Is.EqualTo("700701"));
        }

        Assert.That(await SubjectsOfMailsToAsync(recipient), Is.EqualTo(new[] { "Welcome to Demo Health Plan" }));
    }

    [Test]
    public async Task Reads_over_TLS_when_the_self_signed_certificate_is_accepted_by_setting()
    {
        var recipient = NewRecipient();
        var requestedAt = DateTimeOffset.UtcNow;
        await SendAsync(recipient, Subject, "Your verification code is 808182.");

        await using var inbox = new ImapInbox(Plain() with { Port = _server.ImapsPort, UseTls = true, AcceptInvalidCertificate = true });
        var mail = await inbox.WaitForMailAsync(new MailQuery(recipient, requestedAt), TimeSpan.FromSeconds(20));

        Assert.That(new VerificationCodeExtractor().Extract(mail), Is.EqualTo("808182"));
    }

    [Test]
    public async Task Refuses_the_self_signed_certificate_by_default_and_names_the_setting()
    {
        await using var inbox = new ImapInbox(Plain() with { Port = _server.ImapsPort, UseTls = true });

        var error = Assert.ThrowsAsync<MailboxException>(() => inbox.CheckAccessAsync());

        Assert.That(error!.Message, Does.Contain("does not trust").And.Contain("imapAcceptInvalidCertificate").And.Contain("DIC_IMAP_ACCEPT_INVALID_CERTIFICATE"));
    }

    [Test]
    public async Task A_wrong_password_is_refused_with_the_settings_to_fix()
    {
        await using var inbox = new ImapInbox(Plain() with { Password = "not-the-password" });

        var error = Assert.ThrowsAsync<MailboxException>(() => inbox.CheckAccessAsync());

        Assert.That(error!.Message, Does.Contain("refused the login").And.Contain("DIC_IMAP_PASSWORD").And.Not.Contain("not-the-password"));
    }

    [Test]
    public void The_certificate_setting_is_off_unless_set_and_reaches_the_inbox_options()
    {
        var defaults = SettingsBinder.Bind(new Dictionary<string, string?>(), new Dictionary<string, string?>());
        var accepting = SettingsBinder.Bind(new Dictionary<string, string?> { ["imapAcceptInvalidCertificate"] = "true" }, new Dictionary<string, string?>());

        Assert.That(defaults.Mail.ImapAcceptInvalidCertificate, Is.False);
        Assert.That(ImapInboxOptions.FromSettings(accepting.Mail with { ImapHost = "h", ImapUser = "u", ImapPassword = "p" }).AcceptInvalidCertificate, Is.True);
    }

    private async Task<IList<MessageFlags>> FlagsOfMailsToAsync(string recipient)
    {
        using var client = await ConnectAsync();
        var inbox = await client.GetFolderAsync("INBOX");
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        var uids = await inbox.SearchAsync(SearchQuery.ToContains(recipient));
        var summaries = await inbox.FetchAsync(uids, MessageSummaryItems.Flags);
        return summaries.Select(s => s.Flags ?? MessageFlags.None).ToList();
    }

    private async Task<IList<string>> SubjectsOfMailsToAsync(string recipient)
    {
        using var client = await ConnectAsync();
        var inbox = await client.GetFolderAsync("INBOX");
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        var uids = await inbox.SearchAsync(SearchQuery.ToContains(recipient));
        var summaries = await inbox.FetchAsync(uids, MessageSummaryItems.Envelope);
        return summaries.Select(s => s.Envelope!.Subject ?? "").ToList();
    }

    private async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync(_server.Host, _server.ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(DovecotMailServer.User, _server.Password);
        return client;
    }
}
