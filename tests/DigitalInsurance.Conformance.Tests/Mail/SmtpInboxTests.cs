using System.Net;
using System.Net.Sockets;
using DigitalInsurance.Conformance.Support.Mail;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Mail;

public class SmtpInboxTests
{
    private SmtpInbox _inbox = null!;

    [OneTimeSetUp]
    public async Task Listen() => _inbox = await SmtpInbox.StartAsync(port: 0);

    [OneTimeTearDown]
    public async Task Stop() => await _inbox.DisposeAsync();

    private async Task SendAsync(string to, string subject, string? text, string? html = null, string? cc = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("no-reply@demo-health-plan.example"));
        message.To.Add(MailboxAddress.Parse(to));
        if (cc is not null) message.Cc.Add(MailboxAddress.Parse(cc));
        message.Subject = subject;
        var body = new BodyBuilder { TextBody = text, HtmlBody = html };
        message.Body = body.ToMessageBody();
        using var client = new SmtpClient();
        await client.ConnectAsync(_inbox.Host, _inbox.Port, SecureSocketOptions.None);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }

    private static string Unique(string name) => $"{name}+{Guid.NewGuid():N}@dic-conformance.example";

    [Test]
    public void Port_zero_binds_a_free_port_and_reports_it()
    {
        Assert.That(_inbox.Port, Is.GreaterThan(0));
        Assert.That(_inbox.Description, Does.Contain($"127.0.0.1:{_inbox.Port}"));
    }

    [Test]
    public async Task The_newest_message_to_the_recipient_after_the_given_time_is_found_among_many()
    {
        var member = Unique("member");
        var someoneElse = Unique("other");
        await SendAsync(member, "Your code", "Your verification code is 111111.");
        var requestedAt = DateTimeOffset.UtcNow;
        await SendAsync(someoneElse, "Your code", "Your verification code is 999999.");
        await SendAsync(member.ToUpperInvariant(), "Your code", "Your verification code is 222222.");
        await SendAsync(Unique("third"), "Your code", "Your verification code is 888888.");

        var mail = await _inbox.WaitForMailAsync(new MailQuery(member, requestedAt), TimeSpan.FromSeconds(10));

        Assert.That(mail.TextBody, Does.Contain("222222"));
        Assert.That(mail.Subject, Is.EqualTo("Your code"));
        Assert.That(mail.From, Is.EqualTo("no-reply@demo-health-plan.example"));
        Assert.That(mail.To, Has.Some.EqualTo(member).IgnoreCase);
    }

    [Test]
    public async Task A_waiter_wakes_when_the_message_arrives()
    {
        var member = Unique("waiting");
        var requestedAt = DateTimeOffset.UtcNow;
        var waiting = _inbox.WaitForMailAsync(new MailQuery(member, requestedAt), TimeSpan.FromSeconds(20));
        Assert.That(waiting.IsCompleted, Is.False);

        await SendAsync(member, "Your code", "Code: 333333");

        Assert.That((await waiting).TextBody, Does.Contain("333333"));
    }

    [Test]
    public async Task Cc_recipients_and_subject_patterns_are_matched()
    {
        var member = Unique("cc");
        var requestedAt = DateTimeOffset.UtcNow;
        await SendAsync(Unique("primary"), "Welcome", "no code here", cc: member);
        await SendAsync(Unique("primary"), "Verification code", "Code: 444444", cc: member);
        await SendAsync(Unique("primary"), "Newsletter", "Issue 555555", cc: member);

        var mail = await _inbox.WaitForMailAsync(new MailQuery(member, requestedAt, SubjectPattern: "^Verification"), TimeSpan.FromSeconds(10));

        Assert.That(mail.TextBody, Does.Contain("444444"));
    }

    [Test]
    public async Task An_HTML_only_message_is_read_as_text()
    {
        var member = Unique("html");
        var requestedAt = DateTimeOffset.UtcNow;
        await SendAsync(member, "Your code", text: null, html: "<html><head><style>p{color:red}</style></head><body><p>Your code is <b>646464</b></p></body></html>");

        var mail = await _inbox.WaitForMailAsync(new MailQuery(member, requestedAt), TimeSpan.FromSeconds(10));

        Assert.That(mail.TextBody, Does.Contain("Your code is 646464").And.Not.Contain("color"));
    }

    [Test]
    public void Waiting_in_vain_names_the_mailbox_the_redacted_recipient_and_the_wait()
    {
        var member = Unique("nobody");
        var error = Assert.ThrowsAsync<MailboxException>(() =>
            _inbox.WaitForMailAsync(new MailQuery(member, DateTimeOffset.UtcNow), TimeSpan.FromMilliseconds(300)));

        Assert.That(error!.Message, Does.Contain($"the harness's SMTP listener on 127.0.0.1:{_inbox.Port}"));
        Assert.That(error.Message, Does.Contain("within 0.3 s"));
        Assert.That(error.Message, Does.Contain("[redacted member email]"));
        Assert.That(error.Message, Does.Not.Contain(member));
    }

    [Test]
    public async Task Messages_received_before_the_request_are_ignored()
    {
        var member = Unique("stale");
        await SendAsync(member, "Your code", "Code: 777777");
        var requestedAt = DateTimeOffset.UtcNow;

        Assert.ThrowsAsync<MailboxException>(() => _inbox.WaitForMailAsync(new MailQuery(member, requestedAt), TimeSpan.FromMilliseconds(200)));
    }

    [Test]
    public void A_port_in_use_is_a_clear_error()
    {
        var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        try
        {
            var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
            var error = Assert.ThrowsAsync<MailboxException>(() => SmtpInbox.StartAsync(port));
            Assert.That(error!.Message, Does.Contain($"could not listen for SMTP on 127.0.0.1:{port}").And.Contain("smtpListenPort"));
        }
        finally
        {
            occupied.Stop();
        }
    }
}
