using DigitalInsurance.Conformance.Support.Mail;
using DigitalInsurance.Conformance.Support.Redaction;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Mail;

public class VerificationCodeExtractorTests
{
    private static ReceivedMail Mail(string body, string subject = "Your Demo Health Plan verification code", string to = "member+extract@dic-conformance.example") =>
        new([to], "no-reply@demo-health-plan.example", subject, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, body);

    [Test]
    public void The_default_pattern_takes_the_six_digit_code_and_registers_it_as_a_secret()
    {
        var code = new VerificationCodeExtractor().Extract(Mail("Hello Jason,\nyour verification code is 482913. It expires in 10 minutes.\nMember 08-testmemid, ZIP 02114"));

        Assert.That(code, Is.EqualTo("482913"));
        Assert.That(Secrets.Redact("typed 482913"), Is.EqualTo("typed [redacted verification code]"));
    }

    [Test]
    public void Digits_inside_longer_numbers_are_not_a_code()
    {
        Assert.That(new VerificationCodeExtractor().Extract(Mail("Reference 12345678901. Code: 135790")), Is.EqualTo("135790"));
    }

    [Test]
    public void A_custom_pattern_uses_its_first_group()
    {
        var extractor = new VerificationCodeExtractor(@"code:\s*([A-Z0-9]{8})");
        Assert.That(extractor.Extract(Mail("Your one-time code: K7P2Q9XZ (valid 5 min)")), Is.EqualTo("K7P2Q9XZ"));
    }

    [Test]
    public void A_pattern_without_groups_uses_the_whole_match()
    {
        Assert.That(new VerificationCodeExtractor(@"[A-Z]{3}-\d{3}").Extract(Mail("Use ABC-246 to continue")), Is.EqualTo("ABC-246"));
    }

    [Test]
    public void The_subject_is_searched_when_the_body_has_no_code()
    {
        Assert.That(new VerificationCodeExtractor().Extract(Mail("See the subject.", subject: "Code 975310")), Is.EqualTo("975310"));
    }

    [Test]
    public void A_mail_without_a_code_names_the_pattern_and_hides_the_recipient()
    {
        var error = Assert.Throws<MailboxException>(() =>
            new VerificationCodeExtractor().Extract(Mail("Welcome! Click the link to verify.", to: "member+nocode@dic-conformance.example")));

        Assert.That(error!.Message, Does.StartWith("The verification email to [redacted member email]"));
        Assert.That(error.Message, Does.Contain(@"had no code matching pattern '\b(\d{6})\b'"));
        Assert.That(error.Message, Does.Not.Contain("member+nocode"));
    }

    [Test]
    public void An_invalid_pattern_is_a_clear_error()
    {
        var error = Assert.Throws<MailboxException>(() => _ = new VerificationCodeExtractor("([0-9"));
        Assert.That(error!.Message, Does.Contain("'([0-9' is not a valid regular expression").And.Contain("verificationCodePattern"));
    }
}
