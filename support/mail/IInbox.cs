using System.Text.RegularExpressions;
using DigitalInsurance.Conformance.Support.Redaction;
using MimeKit;
using MimeKit.Text;

namespace DigitalInsurance.Conformance.Support.Mail;

/// <summary>Where the member's verification emails arrive: the harness's own SMTP listener or a real IMAP mailbox.</summary>
public interface IInbox
{
    /// <summary>Names the mailbox in messages, e.g. "the harness's SMTP listener on 127.0.0.1:2525".</summary>
    string Description { get; }

    /// <summary>
    /// The newest message to <see cref="MailQuery.Recipient"/> received at or after <see cref="MailQuery.ReceivedAfter"/>,
    /// waiting up to <paramref name="timeout"/> for it. Throws <see cref="MailboxException"/> when none arrives in time.
    /// </summary>
    Task<ReceivedMail> WaitForMailAsync(MailQuery query, TimeSpan timeout, CancellationToken cancellationToken = default);
}

/// <param name="Recipient">Address the mail was sent to (compared case-insensitively, whole address).</param>
/// <param name="ReceivedAfter">Take the time before triggering the mail; older messages are ignored.</param>
/// <param name="SubjectPattern">Optional regular expression the subject must match.</param>
public sealed record MailQuery(string Recipient, DateTimeOffset ReceivedAfter, string? SubjectPattern = null)
{
    internal bool Matches(ReceivedMail mail) =>
        mail.ReceivedAt >= ReceivedAfter && IsAddressedTo(mail) && SubjectMatches(mail.Subject);

    internal bool IsAddressedTo(ReceivedMail mail) => mail.To.Any(SameAddress);

    internal bool SameAddress(string address) => string.Equals(address.Trim(), Recipient.Trim(), StringComparison.OrdinalIgnoreCase);

    internal bool SubjectMatches(string subject) =>
        SubjectPattern is null || Regex.IsMatch(subject, SubjectPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    internal string Describe(IInbox inbox, TimeSpan timeout) =>
        $"No email to {Secrets.Redact(Recipient)}{(SubjectPattern is null ? "" : $" with a subject matching '{SubjectPattern}'")} " +
        $"received after {ReceivedAfter.UtcDateTime:HH:mm:ss} UTC arrived in {inbox.Description} within {timeout.TotalSeconds:0.#} s";
}

/// <summary>A received email, reduced to what the scenarios read.</summary>
/// <param name="To">Envelope and header recipients (To, Cc), as bare addresses.</param>
/// <param name="ReceivedAt">When the mailbox got it (the listener's clock for SMTP, INTERNALDATE for IMAP).</param>
/// <param name="TextBody">The plain-text part, or the HTML part converted to text when there is no plain part.</param>
public sealed record ReceivedMail(IReadOnlyList<string> To, string From, string Subject, DateTimeOffset Date, DateTimeOffset ReceivedAt, string TextBody)
{
    internal static ReceivedMail FromMessage(MimeMessage message, IEnumerable<string> envelopeRecipients, DateTimeOffset receivedAt)
    {
        var headerRecipients = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address);
        var to = envelopeRecipients.Concat(headerRecipients).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var text = message.TextBody ?? (message.HtmlBody is { } html ? HtmlText(html) : "");
        return new ReceivedMail(to, message.From.Mailboxes.FirstOrDefault()?.Address ?? "", message.Subject ?? "", message.Date, receivedAt, text);
    }

    /// <summary>The readable text of an HTML-only mail: text nodes, with line breaks at block elements, without style or script.</summary>
    internal static string HtmlText(string html)
    {
        var text = new System.Text.StringBuilder();
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        var skipping = false;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken { Id: HtmlTagId.Style or HtmlTagId.Script or HtmlTagId.Head } tag:
                    skipping = !tag.IsEndTag && !tag.IsEmptyElement;
                    break;
                case HtmlTagToken { Id: HtmlTagId.Br or HtmlTagId.P or HtmlTagId.Div or HtmlTagId.TR or HtmlTagId.LI or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 }:
                    text.Append('\n');
                    break;
                case HtmlDataToken data when !skipping:
                    text.Append(data.Data);
                    break;
            }
        }
        return text.ToString().Trim();
    }
}

/// <summary>A mailbox could not deliver what was asked (nothing arrived in time, could not connect or log in).</summary>
public sealed class MailboxException(string message, Exception? inner = null) : Exception(message, inner);
