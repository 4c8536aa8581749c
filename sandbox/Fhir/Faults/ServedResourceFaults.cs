using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir.Data;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Faults;

/// <summary>
/// The data faults: each spoils one element of the resources as they are served (a copy; the store and searches are
/// unaffected, so nothing but the served content changes).
/// </summary>
internal static class ServedResourceFaults
{
    public const string InvalidGender = "invalid-gender";
    public const string SubscriberOtherMember = "coverage-subscriber-other-member";
    public const string ReferenceToOtherServer = "reference-to-other-server";

    /// <summary>The FHIR base of another payer's server, where the payors are pointed under <see cref="ReferenceToOtherServer"/>.</summary>
    public const string OtherServerBase = "https://other-payer.example/fhir/";

    public static Resource Apply(Resource resource, SandboxFaults faults, FhirResourceStore store)
    {
        switch (resource)
        {
            case Coverage coverage when faults.IsOn(SubscriberOtherMember) && coverage.Subscriber?.Reference is { } subscriber
                                        && subscriber == coverage.Beneficiary?.Reference && OtherMember(subscriber, store) is { } other:
                var withOtherSubscriber = (Coverage)coverage.DeepCopy();
                withOtherSubscriber.Subscriber = new ResourceReference(other);
                return withOtherSubscriber;
            case Coverage coverage when faults.IsOn("coverage-missing-beneficiary"):
                var withoutBeneficiary = (Coverage)coverage.DeepCopy();
                withoutBeneficiary.Beneficiary = null!;
                return withoutBeneficiary;
            case Coverage coverage when faults.IsOn(ReferenceToOtherServer):
                var withPayorElsewhere = (Coverage)coverage.DeepCopy();
                foreach (var payor in withPayorElsewhere.Payor.Where(p => p.Reference is { } r && !r.StartsWith('#') && !Uri.IsWellFormedUriString(r, UriKind.Absolute)))
                    payor.Reference = OtherServerBase + payor.Reference;
                return withPayorElsewhere;
            case Patient patient when faults.IsOn("patient-invalid-gender"):
                var withBadGender = (Patient)patient.DeepCopy();
                // The SDK keeps a code outside the enum as its literal value, and writes it back out as given.
                withBadGender.GenderElement = new Code<AdministrativeGender> { JsonValue = InvalidGender };
                return withBadGender;
            case Organization organization when faults.IsOn("organization-missing-name"):
                var withoutName = (Organization)organization.DeepCopy();
                withoutName.Name = null;
                return withoutName;
            default:
                return resource;
        }
    }

    /// <summary>
    /// The Patient before <paramref name="patient"/> in id order (wrapping) who shares no Coverage with them: a stranger,
    /// so the member's other records and another member's compartment stay as they are; going backwards, the stranger a
    /// member is given is never one who is given that member.
    /// </summary>
    private static string? OtherMember(string patient, FhirResourceStore store)
    {
        var coverages = store.OfType("Coverage").Cast<Coverage>().ToList();
        var related = coverages.Where(c => c.Beneficiary?.Reference == patient || c.Subscriber?.Reference == patient)
            .SelectMany(c => new[] { c.Beneficiary?.Reference, c.Subscriber?.Reference }).OfType<string>().ToHashSet();
        var patients = store.OfType("Patient").Select(p => $"Patient/{p.Id}").Order(StringComparer.Ordinal).ToList();
        var index = patients.IndexOf(patient);
        if (index < 0) return null;
        return Enumerable.Range(1, patients.Count - 1).Select(step => patients[(index - step + patients.Count) % patients.Count])
            .FirstOrDefault(p => !related.Contains(p));
    }
}
