using DigitalInsurance.Conformance.Support.Mail;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Mail;

/// <summary><see cref="ImapInbox"/> through MailKit against a scripted IMAP peer (plain text, LOGIN).</summary>
public class ImapInboxProtocolTests
{
    private const string Member = "member+imap-protocol@dic-conformance.example";
    private static readonly DateTimeOffset RequestedAt = DateTimeOffset.UtcNow.AddMinutes(-5);

    private static ImapInbox Inbox(ScriptedImapServer server, ImapAfterRead afterRead = ImapAfterRead.MarkRead, string? password = null) =>
        new(new ImapInboxOptions
        {
            Host = "127.0.0.1",
            Port = server.Port,
            UseTls = false,
            User = server.User,
            Password = password ?? server.Password,
            AfterRead = afterRead,
            PollInterval = TimeSpan.FromMilliseconds(100),
            ClockSkewTolerance = TimeSpan.Zero,
        });

    [Test]
    public async Task The_newest_message_to_the_member_is_read_and_marked_read()
    {
        await using var server = new ScriptedImapServer("harness", "imap-secret-1").Start();
        server.Add(Member, "Your code", "Your verification code is 111111.", RequestedAt.AddMinutes(-30));
        server.Add("member+imap-protocol-2@dic-conformance.example", "Your code", "Your verification code is 999999.", RequestedAt.AddMinutes(2));
        var wanted = server.Add(Member, "Your code", "Your verification code is 222222.", RequestedAt.AddMinutes(1));
        server.Add("someone@else.example", "Newsletter", "Issue 333333", RequestedAt.AddMinutes(3));

        await using var inbox = Inbox(server);
        var mail = await inbox.WaitForMailAsync(new MailQuery(Member, RequestedAt), TimeSpan.FromSeconds(20));

        Assert.That(mail.TextBody, Does.Contain("222222"));
        Assert.That(mail.Subject, Is.EqualTo("Your code"));
        Assert.That(mail.To, Has.Some.EqualTo(Member));
        Assert.That(mail.ReceivedAt, Is.EqualTo(wanted.InternalDate).Within(TimeSpan.FromSeconds(1)));
        Assert.That(server.Messages.Single(m => m.Uid == wanted.Uid).Flags, Does.Contain("\\Seen"));
        Assert.That(server.Commands, Has.Some.StartsWith("UID FETCH").And.Contains("BODY.PEEK[]"), "the body is read without setting \\Seen implicitly");
    }

    [Test]
    public async Task A_message_arriving_while_waiting_is_found_on_a_later_poll()
    {
        await using var server = new ScriptedImapServer("harness", "imap-secret-2").Start();
        await using var inbox = Inbox(server);

        var waiting = inbox.WaitForMailAsync(new MailQuery(Member, RequestedAt), TimeSpan.FromSeconds(30));
        // Added only once the first search has been answered (empty), so the message can be found only by a later poll.
        while (server.AnsweredSearches == 0 && !waiting.IsCompleted) await Task.Delay(20);
        server.Add(Member, "Your code", "Code: 444444", RequestedAt.AddMinutes(1));

        Assert.That((await waiting).TextBody, Does.Contain("444444"));
        Assert.That(server.Commands, Has.Some.EqualTo("NOOP"));
    }

    [Test]
    public async Task Delete_after_read_removes_the_message()
    {
        await using var server = new ScriptedImapServer("harness", "imap-secret-3").Start();
        server.Add(Member, "Your code", "Code: 555555", RequestedAt.AddMinutes(1));
        await using var inbox = Inbox(server, ImapAfterRead.Delete);

        await inbox.WaitForMailAsync(new MailQuery(Member, RequestedAt), TimeSpan.FromSeconds(20));

        Assert.That(server.Messages, Is.Empty);
    }

    [Test]
    public async Task A_refused_login_names_the_server_and_the_settings()
    {
        await using var server = new ScriptedImapServer("harness", "imap-secret-4").Start();
        await using var inbox = Inbox(server, password: "wrong-password");

        var error = Assert.ThrowsAsync<MailboxException>(() => inbox.WaitForMailAsync(new MailQuery(Member, RequestedAt), TimeSpan.FromSeconds(5)));
        Assert.That(error!.Message, Is.EqualTo($"The IMAP server 127.0.0.1:{server.Port} refused the login of harness: check imapUser (DIC_IMAP_USER) and DIC_IMAP_PASSWORD."));
    }

    [Test]
    public async Task Waiting_in_vain_names_the_mailbox_and_hides_the_recipient()
    {
        await using var server = new ScriptedImapServer("harness", "imap-secret-5").Start();
        server.Add(Member, "Your code", "Code: 666666", RequestedAt.AddMinutes(-30));
        await using var inbox = Inbox(server);

        var error = Assert.ThrowsAsync<MailboxException>(() => inbox.WaitForMailAsync(new MailQuery(Member, RequestedAt), TimeSpan.FromMilliseconds(500)));
        Assert.That(error!.Message, Does.StartWith("No email to [redacted member email] received after"));
        Assert.That(error.Message, Does.Contain($"the IMAP mailbox INBOX of harness at 127.0.0.1:{server.Port} within 0.5 s"));
    }
}
