using DemoHealthPlan.Sandbox.Fhir;

namespace DemoHealthPlan.Sandbox.Tests.Infrastructure;

/// <summary>What a member types on "Create an account": the five attributes of their member ID card.</summary>
public sealed record TestMember(string FirstName, string LastName, DateOnly BirthDate, string MemberId, string PostalCode)
{
    /// <summary>Birthdate as the form asks for it.</summary>
    public string BirthdateText => BirthDate.ToString("MM/dd/yyyy", System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => $"{FirstName} {LastName}";
}

public static class TestMembers
{
    /// <summary>Test Member 1 of the Demo Health Plan (in the sandbox's shipped data set as Patient/jason-argonaut).</summary>
    public static TestMember JasonArgonaut { get; } = new("Jason", "Argonaut", new DateOnly(1986, 1, 1), "08-testmemid", "02114");
}

/// <summary>
/// A member directory the test defines, for enrollment tests that must not depend on the FHIR data set's contents.
/// Matching follows <see cref="IMemberDirectory"/>'s contract (names and member ID case-insensitive, trimmed).
/// </summary>
public sealed class TestMemberDirectory(params (TestMember Member, string PatientId)[] members) : IMemberDirectory
{
    public MemberRecord? Find(string firstName, string lastName, DateOnly birthDate, string memberId, string postalCode) =>
        members.Where(m =>
                Same(m.Member.FirstName, firstName) && Same(m.Member.LastName, lastName) && m.Member.BirthDate == birthDate
                && Same(m.Member.MemberId, memberId) && m.Member.PostalCode == postalCode.Trim())
            .Select(m => Record(m.Member, m.PatientId)).FirstOrDefault();

    public MemberRecord? ByPatientId(string patientId) =>
        members.Where(m => m.PatientId == patientId).Select(m => Record(m.Member, m.PatientId)).FirstOrDefault();

    private static MemberRecord Record(TestMember member, string patientId) => new(patientId, $"{member.FirstName} {member.LastName}");

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
