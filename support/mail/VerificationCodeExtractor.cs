using System.Text.RegularExpressions;
using DigitalInsurance.Conformance.Support.Redaction;

namespace DigitalInsurance.Conformance.Support.Mail;

/// <summary>
/// Finds the verification code in an email with a configurable regular expression: its first group when it has one,
/// otherwise the whole match. The body is searched before the subject.
/// </summary>
public sealed class VerificationCodeExtractor
{
    public const string DefaultPattern = @"\b(\d{6})\b";

    private readonly Regex _pattern;

    public VerificationCodeExtractor(string? pattern = null)
    {
        Pattern = string.IsNullOrWhiteSpace(pattern) ? DefaultPattern : pattern;
        try
        {
            _pattern = new Regex(Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new MailboxException($"The verification code pattern '{Pattern}' is not a valid regular expression ({e.Message}): fix verificationCodePattern (DIC_VERIFICATION_CODE_PATTERN).");
        }
    }

    public string Pattern { get; }

    public string Extract(ReceivedMail mail)
    {
        foreach (var address in mail.To) Secrets.Register(address, "member email");
        foreach (var text in new[] { mail.TextBody, mail.Subject })
        {
            var match = _pattern.Match(text);
            if (!match.Success) continue;
            var code = match.Groups.Count > 1 && match.Groups[1].Success ? match.Groups[1].Value : match.Value;
            Secrets.Register(code, "verification code");
            return code;
        }
        var recipient = mail.To.FirstOrDefault() ?? "(no recipient)";
        throw new MailboxException(
            $"The verification email to {Secrets.Redact(recipient)} (subject '{Secrets.Redact(mail.Subject)}') had no code matching pattern '{Pattern}': " +
            "set verificationCodePattern (DIC_VERIFICATION_CODE_PATTERN) to match the payer's email.");
    }
}
