namespace DemoHealthPlan.Sandbox.Fhir;

/// <summary>A member as enrollment sees one: the Patient they are, found from the FHIR data set.</summary>
public sealed record MemberRecord(string PatientId, string DisplayName);

/// <summary>
/// Finds members in the FHIR data set. Enrollment asks it to match the five attributes a member types; the FHIR
/// side answers from Patient (name, birthDate, address.postalCode) and member identifiers (Patient.identifier of type MB,
/// or Coverage.subscriberId where the Patient is beneficiary).
/// </summary>
public interface IMemberDirectory
{
    /// <summary>The member matching all five attributes (names and member ID compared case-insensitively, trimmed), or null.</summary>
    MemberRecord? Find(string firstName, string lastName, DateOnly birthDate, string memberId, string postalCode);

    MemberRecord? ByPatientId(string patientId);
}
