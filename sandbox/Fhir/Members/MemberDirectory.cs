using System.Globalization;
using DemoHealthPlan.Sandbox.Fhir.Data;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Members;

/// <summary>A Patient of the data set that has at least one member identifier.</summary>
internal sealed record Member(Patient Patient, IReadOnlyList<string> MemberIds)
{
    public string PatientId => Patient.Id!;

    public string DisplayName => MemberDirectory.DisplayNameOf(Patient);

    public MemberRecord ToRecord() => new(PatientId, DisplayName);
}

/// <summary>
/// Members as the FHIR data defines them, read live from the store. A Patient is a member when it carries a member
/// identifier: a Patient.identifier of type MB, or (for Coverages whose beneficiary it is) Coverage.subscriberId or a
/// Coverage.identifier of type MB.
/// </summary>
internal sealed class MemberDirectory(FhirResourceStore store) : IMemberDirectory
{
    public const string MemberIdTypeSystem = "http://terminology.hl7.org/CodeSystem/v2-0203";
    public const string MemberIdTypeCode = "MB";

    /// <summary>Every member, in data set order.</summary>
    public IReadOnlyList<Member> Members()
    {
        var coverages = store.OfType("Coverage").Cast<Coverage>().ToList();
        var members = new List<Member>();
        foreach (var patient in store.OfType("Patient").Cast<Patient>())
        {
            var reference = $"Patient/{patient.Id}";
            var ids = patient.Identifier.Where(IsMemberIdentifier).Select(i => i.Value)
                .Concat(coverages.Where(c => c.Beneficiary?.Reference == reference)
                    .SelectMany(c => c.Identifier.Where(IsMemberIdentifier).Select(i => i.Value).Append(c.SubscriberId)))
                .Where(v => !string.IsNullOrWhiteSpace(v))
                .Select(v => v!.Trim())
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            if (ids.Count > 0) members.Add(new Member(patient, ids));
        }
        return members;
    }

    /// <summary>The member the data set lists first; the one served when a fault lets requests in without a token.</summary>
    public Member? First() => Members().FirstOrDefault();

    public MemberRecord? Find(string firstName, string lastName, DateOnly birthDate, string memberId, string postalCode)
    {
        var matches = Members().Where(m =>
                HasName(m.Patient, firstName, lastName)
                && BirthDateOf(m.Patient) == birthDate
                && m.MemberIds.Contains(memberId.Trim(), StringComparer.OrdinalIgnoreCase)
                && m.Patient.Address.Any(a => SamePostalCode(a.PostalCode, postalCode)))
            .ToList();
        // Two records answering to the same five attributes is a data error; granting either would be a guess.
        return matches.Count == 1 ? matches[0].ToRecord() : null;
    }

    public MemberRecord? ByPatientId(string patientId) =>
        Members().FirstOrDefault(m => m.PatientId == patientId)?.ToRecord();

    internal static string DisplayNameOf(Patient patient)
    {
        var name = patient.Name.FirstOrDefault();
        if (name is null) return patient.Id!;
        if (!string.IsNullOrWhiteSpace(name.Text)) return name.Text.Trim();
        return string.Join(" ", name.Given.Take(1).Append(name.Family).Where(p => !string.IsNullOrWhiteSpace(p)));
    }

    private static bool IsMemberIdentifier(Identifier identifier) =>
        identifier.Type?.Coding.Any(c => c.System == MemberIdTypeSystem && c.Code == MemberIdTypeCode) == true;

    private static bool HasName(Patient patient, string firstName, string lastName)
    {
        var first = firstName.Trim();
        var last = lastName.Trim();
        return patient.Name.Any(n =>
            string.Equals(n.Family?.Trim(), last, StringComparison.OrdinalIgnoreCase)
            && (n.Given.Any(g => string.Equals(g?.Trim(), first, StringComparison.OrdinalIgnoreCase))
                || string.Equals(string.Join(" ", n.Given.Select(g => g?.Trim())), first, StringComparison.OrdinalIgnoreCase)));
    }

    private static DateOnly? BirthDateOf(Patient patient) =>
        DateOnly.TryParseExact(patient.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>Same code, or the same five-digit ZIP when one side is written as ZIP+4.</summary>
    private static bool SamePostalCode(string? recorded, string typed)
    {
        if (recorded is null) return false;
        var a = recorded.Replace(" ", "").Trim().ToUpperInvariant();
        var b = typed.Replace(" ", "").Trim().ToUpperInvariant();
        if (a.Length == 0 || b.Length == 0) return false;
        if (a == b) return true;
        return a.Length >= 5 && b.Length >= 5 && a[..5].All(char.IsAsciiDigit) && a[..5] == b[..5]
               && (a.Length == 5 || a[5] == '-') && (b.Length == 5 || b[5] == '-');
    }
}
