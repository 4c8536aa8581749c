using DemoHealthPlan.Sandbox.Faults;

namespace DemoHealthPlan.Sandbox.Enrollment;

/// <summary>
/// The words on the member-facing pages — field labels, button and link names — and whether a terms-of-use page
/// follows the email verification. Bound from configuration section "Sandbox:Pages"; the defaults are the wording of
/// the 1upHealth flow. Other wording lets a client's tests prove that they find the pages by a page model, not by
/// words written into their code.
/// </summary>
internal sealed record EnrollmentLabels
{
    public const string Section = "Sandbox:Pages";

    public string CreateAccountLink { get; init; } = "Create an account";
    public string FirstName { get; init; } = "First Name";
    public string LastName { get; init; } = "Last Name";
    public string Birthdate { get; init; } = "Birthdate";
    public string MemberId { get; init; } = "Member ID";
    public string PostalCode { get; init; } = "Postal Code";
    public string Email { get; init; } = "Email";
    public string CreateAccountButton { get; init; } = "Create account";
    public string VerificationCode { get; init; } = "Verification Code";
    public string VerifyButton { get; init; } = "Verify";
    public string AllowButton { get; init; } = "Allow";
    public string DenyButton { get; init; } = "Deny";

    /// <summary>Whether the member must accept the terms of use after verifying their email, before the consent page.</summary>
    public bool TermsOfUse { get; init; }
    public string TermsAgreement { get; init; } = "I agree to the Terms of Use";
    public string TermsContinueButton { get; init; } = "Continue";

    public static EnrollmentLabels Bind(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var defaults = new EnrollmentLabels();
        string Text(string key, string fallback) => section[key] is { Length: > 0 } value ? value.Trim() : fallback;
        return new EnrollmentLabels
        {
            CreateAccountLink = Text(nameof(CreateAccountLink), defaults.CreateAccountLink),
            FirstName = Text(nameof(FirstName), defaults.FirstName),
            LastName = Text(nameof(LastName), defaults.LastName),
            Birthdate = Text(nameof(Birthdate), defaults.Birthdate),
            MemberId = Text(nameof(MemberId), defaults.MemberId),
            PostalCode = Text(nameof(PostalCode), defaults.PostalCode),
            Email = Text(nameof(Email), defaults.Email),
            CreateAccountButton = Text(nameof(CreateAccountButton), defaults.CreateAccountButton),
            VerificationCode = Text(nameof(VerificationCode), defaults.VerificationCode),
            VerifyButton = Text(nameof(VerifyButton), defaults.VerifyButton),
            AllowButton = Text(nameof(AllowButton), defaults.AllowButton),
            DenyButton = Text(nameof(DenyButton), defaults.DenyButton),
            TermsOfUse = section[nameof(TermsOfUse)] switch
            {
                null or "" => false,
                var raw when bool.TryParse(raw, out var value) => value,
                var raw => throw new SandboxConfigurationException($"{Section}:{nameof(TermsOfUse)} must be true or false, not '{raw}'."),
            },
            TermsAgreement = Text(nameof(TermsAgreement), defaults.TermsAgreement),
            TermsContinueButton = Text(nameof(TermsContinueButton), defaults.TermsContinueButton),
        };
    }
}
