using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir.Data;
using DemoHealthPlan.Sandbox.Fhir.Members;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Faults;

/// <summary>
/// patient-context-other-member: enrollment matches the five attributes a member types as usual, but ties the account to
/// the next member of the data set (after the last, the first) who shares no Coverage with them, so the member signs in
/// and every token names a stranger as the patient in context. A stranger's records are a whole compartment of their
/// own (a dependant's would name the member as subscriber, which the dependant's token cannot read), and two members
/// never get the same stranger, so one token still cannot reach another's records: only the identity is wrong.
/// </summary>
internal sealed class OtherMemberContext(MemberDirectory members, FhirResourceStore store, SandboxFaults faults) : IMemberDirectory
{
    public const string Fault = "patient-context-other-member";

    public MemberRecord? Find(string firstName, string lastName, DateOnly birthDate, string memberId, string postalCode)
    {
        var found = members.Find(firstName, lastName, birthDate, memberId, postalCode);
        if (found is null || !faults.IsOn(Fault)) return found;
        var all = members.Members();
        var index = all.Select(m => m.PatientId).ToList().IndexOf(found.PatientId);
        var related = Related(found.PatientId);
        return Enumerable.Range(1, all.Count - 1)
            .Select(step => all[(index + step) % all.Count])
            .FirstOrDefault(m => !related.Contains(m.PatientId))?.ToRecord() ?? found;
    }

    /// <summary>The patients that share a Coverage with <paramref name="patientId"/> as beneficiary or subscriber.</summary>
    private HashSet<string> Related(string patientId)
    {
        var reference = $"Patient/{patientId}";
        return store.OfType("Coverage").Cast<Coverage>()
            .Select(c => new[] { c.Beneficiary?.Reference, c.Subscriber?.Reference })
            .Where(pair => pair.Contains(reference))
            .SelectMany(pair => pair)
            .OfType<string>()
            .Where(r => r.StartsWith("Patient/", StringComparison.Ordinal))
            .Select(r => r["Patient/".Length..])
            .ToHashSet(StringComparer.Ordinal);
    }

    public MemberRecord? ByPatientId(string patientId) => members.ByPatientId(patientId);
}
