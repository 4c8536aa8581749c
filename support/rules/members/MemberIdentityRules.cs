using System.Globalization;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Fhir;
using Hl7.Fhir.Model;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// The patient in context is the member who enrolled: the Patient's name and birthDate are those of the member settings,
/// and the member ID is on the Patient (identifier of type MB) or on a Coverage of theirs (subscriberId, or the
/// identifier of type MB). Identifiers are found by their type, never by their position.
/// </summary>
public sealed class MemberIdentityRules(Check check)
{
    private static readonly Requirement Rule = Requirements.SmartPatientContextMember;

    public const string MemberIdTypeSystem = "http://terminology.hl7.org/CodeSystem/v2-0203";
    public const string MemberIdTypeCode = "MB";

    /// <summary>
    /// Judges the patient in context as the last read returned it, against <paramref name="member"/>; the member ID may
    /// also be on the Coverages found (those whose beneficiary is the patient in context).
    /// </summary>
    public void RequireTheMember(FhirConversation fhir, string patientId, MemberSettings member)
    {
        var (read, response) = fhir.Reads.LastOrDefault(r => r.Resource?.Resource is Patient || r.Response.RequestUri.AbsolutePath.EndsWith($"/Patient/{patientId}", StringComparison.Ordinal));
        if (response is null) throw new InvalidOperationException("A step must read the patient in context first.");
        if (read?.Resource is not Patient patient)
        {
            check.Fail(Rule, $"The patient in context (Patient/{patientId}) must be readable, to compare it with the member who enrolled.", response.Describe());
            return;
        }

        var differences = new List<string>();
        if (!HasName(patient, member.FirstName, member.LastName))
            differences.Add($"name {Names(patient)}, not {member.FirstName} {member.LastName}");
        var birthDate = BirthDateOf(member);
        if (patient.BirthDate != birthDate)
            differences.Add($"birthDate {patient.BirthDate ?? "(none)"}, not {birthDate}");
        var coverages = fhir.FoundOfType("Coverage").Select(r => r.Resource).OfType<Coverage>()
            .Where(c => FhirReference.Normalize(c.Beneficiary?.Reference, fhir.Api.BaseUrl) == $"Patient/{patientId}").ToList();
        if (!CarriesMemberId(patient, coverages, member.MemberId))
            differences.Add($"the member ID {member.MemberId} is neither a Patient.identifier of type {MemberIdTypeCode} nor the subscriberId or an identifier of type {MemberIdTypeCode} " +
                            $"of the {coverages.Count} Coverage(s) whose beneficiary the patient is");
        check.That(differences.Count == 0, Rule,
            $"The patient in context (Patient/{patientId}) must be the member who enrolled: their name and birth date, and their member ID on the Patient or on one of their Coverages.",
            string.Join("; ", differences));
    }

    /// <summary>
    /// c4dic-coverage-subscriber: each Coverage of the patient in context (as the member's search found it) names its subscriber
    /// consistently with Coverage.relationship. `self` ("The Beneficiary is the Subscriber") names the patient in
    /// context; a RelatedPerson must be one of theirs (RelatedPerson.patient, read with the member's token); a dependant's
    /// policyholder recorded as another Patient is what FHIR's Reference(Patient | RelatedPerson) allows, and is left unjudged.
    /// </summary>
    public async System.Threading.Tasks.Task RequireSubscriberIsTheMemberOrTheirsAsync(FhirConversation fhir, string patientId)
    {
        var rule = Requirements.C4dicCoverageSubscriber;
        var patient = $"Patient/{patientId}";
        // Every Coverage the member's search found, whatever its beneficiary says: that is c4dic-coverage-beneficiary's to judge.
        var coverages = fhir.FoundOfType("Coverage").Select(r => r.Resource).OfType<Coverage>().ToList();
        check.That(coverages.Count > 0, rule, "The member's search must return at least one Coverage.", "none");
        var findings = new List<string>();
        foreach (var coverage in coverages)
        {
            var subscriber = FhirReference.Normalize(coverage.Subscriber?.Reference, fhir.Api.BaseUrl);
            var self = coverage.Relationship?.Coding.Any(c => c.Code == "self") == true;
            if (subscriber is null)
                findings.Add($"Coverage/{coverage.Id} names no subscriber");
            else if (subscriber.StartsWith("RelatedPerson/", StringComparison.Ordinal))
            {
                var (read, response) = await fhir.ReadAsync(subscriber);
                if (read?.Resource is not RelatedPerson related)
                    findings.Add($"Coverage/{coverage.Id}'s subscriber {subscriber} cannot be read with the member's token ({response.Describe()})");
                else if (FhirReference.Normalize(related.Patient?.Reference, fhir.Api.BaseUrl) != patient)
                    findings.Add($"Coverage/{coverage.Id}'s subscriber {subscriber} is a RelatedPerson of {related.Patient?.Reference ?? "no patient"}, not of {patient}");
            }
            else if (self && subscriber != patient)
                findings.Add($"Coverage/{coverage.Id} has relationship self but names {subscriber}, not the member {patient}, as subscriber");
        }
        check.That(findings.Count == 0, rule,
            $"Each Coverage of {patient} must name as subscriber the member themself (relationship self) or a RelatedPerson of theirs.",
            string.Join("; ", findings));
    }

    private static bool HasName(Patient patient, string firstName, string lastName) =>
        patient.Name.Any(n => Same(n.Family, lastName)
                              && (n.Given.Any(g => Same(g, firstName)) || Same(string.Join(" ", n.Given.Select(g => g?.Trim())), firstName)));

    private static string Names(Patient patient) =>
        patient.Name.Count == 0 ? "(none)" : string.Join(" / ", patient.Name.Select(n => string.Join(" ", n.Given.Append(n.Family).Where(p => !string.IsNullOrWhiteSpace(p)))));

    /// <summary>The member settings' MM/DD/YYYY (as typed into an enrollment form) as a FHIR date.</summary>
    private static string BirthDateOf(MemberSettings member) =>
        DateOnly.TryParseExact(member.Birthdate.Trim(), "MM/dd/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"The member's birthdate \"{member.Birthdate}\" is not MM/DD/YYYY; fix the member settings.");

    private static bool CarriesMemberId(Patient patient, IEnumerable<Coverage> coverages, string memberId) =>
        patient.Identifier.Any(i => IsMemberIdentifier(i) && Same(i.Value, memberId))
        || coverages.Any(c => Same(c.SubscriberId, memberId) || c.Identifier.Any(i => IsMemberIdentifier(i) && Same(i.Value, memberId)));

    private static bool IsMemberIdentifier(Identifier identifier) =>
        identifier.Type?.Coding.Any(c => c.System == MemberIdTypeSystem && c.Code == MemberIdTypeCode) == true;

    private static bool Same(string? recorded, string expected) =>
        recorded is not null && string.Equals(recorded.Trim(), expected.Trim(), StringComparison.OrdinalIgnoreCase);
}
