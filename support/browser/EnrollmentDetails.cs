using DigitalInsurance.Conformance.Support.Configuration;

namespace DigitalInsurance.Conformance.Support.Browser;

/// <summary>What the member types into the enrollment form (the email is passed separately: it differs per run).</summary>
/// <param name="Birthdate">As the form expects it: MM/DD/YYYY.</param>
public sealed record EnrollmentDetails(string FirstName, string LastName, string Birthdate, string MemberId, string PostalCode)
{
    public static EnrollmentDetails From(MemberSettings member) =>
        new(member.FirstName, member.LastName, member.Birthdate, member.MemberId, member.PostalCode);
}
