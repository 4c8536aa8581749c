using DigitalInsurance.Conformance.Support.Runner;

namespace DigitalInsurance.Conformance.Support.Browser;

/// <summary>
/// The payer's page answered the member's enrollment (or verification code) with an error: most often the test member's
/// settings do not match a member the payer knows. Reported with the page's own words and the settings to check, without
/// a stack trace (the message is the whole story); the scenario's evidence holds a masked screenshot of the page.
/// </summary>
public sealed class EnrollmentRefusedException(string after, string pageMessage, EnrollmentDetails? member)
    : Exception(Describe(after, pageMessage, member)), IUserFacingError
{
    public string PageMessage { get; } = pageMessage;

    private static string Describe(string after, string pageMessage, EnrollmentDetails? member) =>
        $"The payer refused the enrollment after {after}; its page says: \"{pageMessage}\". " +
        "Check the five member settings against a test member the payer knows: " +
        (member is null
            ? "memberFirstName, memberLastName, memberBirthdate (MM/DD/YYYY), memberId, memberPostalCode"
            : $"memberFirstName \"{member.FirstName}\", memberLastName \"{member.LastName}\", memberBirthdate \"{member.Birthdate}\" (MM/DD/YYYY), " +
              $"memberId \"{member.MemberId}\", memberPostalCode \"{member.PostalCode}\"") +
        " (environment DIC_MEMBER_FIRST_NAME, DIC_MEMBER_LAST_NAME, DIC_MEMBER_BIRTHDATE, DIC_MEMBER_ID, DIC_MEMBER_POSTAL_CODE; " +
        "for a roster member, its row in membersFile). A masked screenshot of the page is in the scenario's evidence.";
}
