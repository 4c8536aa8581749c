using System.Net;
using System.Net.Sockets;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Mail;
using MailKit;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Mail;

public class ImapInboxTests
{
    private static readonly DateTimeOffset RequestedAt = new(2026, 11, 3, 14, 0, 0, TimeSpan.Zero);
    private const string Member = "member+imap@dic-conformance.example";

    private static ImapInbox.ImapCandidate Candidate(uint uid, DateTimeOffset received, string to = Member, string subject = "Your code") =>
        new(new UniqueId(uid), received, [to], subject);

    [Test]
    public void The_newest_exact_recipient_match_received_in_time_is_picked()
    {
        var candidates = new[]
        {
            Candidate(1, RequestedAt.AddMinutes(-30)),
            Candidate(2, RequestedAt.AddSeconds(20)),
            Candidate(3, RequestedAt.AddSeconds(40), to: "member+imap2@dic-conformance.example"),
            Candidate(4, RequestedAt.AddSeconds(30), to: Member.ToUpperInvariant()),
            Candidate(5, RequestedAt.AddSeconds(10)),
        };

        var picked = ImapInbox.PickNewest(candidates, new MailQuery(Member, RequestedAt), TimeSpan.FromMinutes(2));

        Assert.That(picked!.Uid.Id, Is.EqualTo(4));
    }

    [Test]
    public void A_message_slightly_older_by_the_server_clock_still_counts_but_an_old_one_does_not()
    {
        var query = new MailQuery(Member, RequestedAt);
        Assert.That(ImapInbox.PickNewest([Candidate(7, RequestedAt.AddSeconds(-50))], query, TimeSpan.FromMinutes(2))?.Uid.Id, Is.EqualTo(7));
        Assert.That(ImapInbox.PickNewest([Candidate(8, RequestedAt.AddMinutes(-10))], query, TimeSpan.FromMinutes(2)), Is.Null);
    }

    [Test]
    public void The_subject_pattern_filters()
    {
        var candidates = new[] { Candidate(1, RequestedAt.AddSeconds(5), subject: "Verification code"), Candidate(2, RequestedAt.AddSeconds(9), subject: "Newsletter") };
        var picked = ImapInbox.PickNewest(candidates, new MailQuery(Member, RequestedAt, SubjectPattern: "(?i)verification"), TimeSpan.Zero);
        Assert.That(picked!.Uid.Id, Is.EqualTo(1));
    }

    [Test]
    public void Settings_without_a_host_are_a_clear_error()
    {
        var error = Assert.Throws<MailboxException>(() => ImapInboxOptions.FromSettings(new MailSettings { Kind = MailboxKind.Imap, ImapUser = "u", ImapPassword = "p" }));
        Assert.That(error!.Message, Does.Contain("imapHost (DIC_IMAP_HOST)"));
    }

    [Test]
    public void Settings_map_delete_after_read()
    {
        var options = ImapInboxOptions.FromSettings(new MailSettings { ImapHost = "imap.example", ImapUser = "u", ImapPassword = "pw-1234", ImapDeleteAfterRead = true, ImapPort = 143, ImapUseTls = false });
        Assert.That(options.AfterRead, Is.EqualTo(ImapAfterRead.Delete));
        Assert.That((options.Host, options.Port, options.UseTls), Is.EqualTo(("imap.example", 143, false)));
    }

    [Test]
    public async Task A_server_that_is_not_there_is_a_clear_error_naming_it()
    {
        var unused = new TcpListener(IPAddress.Loopback, 0);
        unused.Start();
        var port = ((IPEndPoint)unused.LocalEndpoint).Port;
        unused.Stop();

        await using var inbox = new ImapInbox(new ImapInboxOptions { Host = "127.0.0.1", Port = port, UseTls = false, User = "member", Password = "imap-password-1" });
        var error = Assert.ThrowsAsync<MailboxException>(() => inbox.WaitForMailAsync(new MailQuery(Member, RequestedAt), TimeSpan.FromSeconds(1)));

        Assert.That(error!.Message, Does.StartWith($"Could not connect to the IMAP server 127.0.0.1:{port} (TLS off)").And.Contain("imapHost"));
    }
}
