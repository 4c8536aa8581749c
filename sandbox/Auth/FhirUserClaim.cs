using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir.Data;

namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>
/// The fhirUser claim the sandbox issues for a member: the absolute URL of their Patient on its FHIR base by default;
/// relative to that base under the variation <see cref="Relative"/> (SMART: the URL "MAY be absolute … or it MAY be
/// relative to the FHIR server base URL"); the member's RelatedPerson (their personal representative) under the variation
/// <see cref="RelatedPerson"/>; on another server under the fault <see cref="OtherServer"/>.
/// </summary>
internal static class FhirUserClaim
{
    public const string Relative = "fhiruser-relative-url";
    public const string OtherServer = "fhiruser-other-server";
    public const string RelatedPerson = "fhiruser-related-person";

    /// <summary>Another payer's FHIR base, which the member's token does not open.</summary>
    public const string OtherServerBase = "https://other-payer.example/fhir/";

    public static string For(string patientId, Uri baseUrl, SandboxVariations variations, SandboxFaults faults, FhirResourceStore store)
    {
        var patient = "Patient/" + Uri.EscapeDataString(patientId);
        if (faults.IsOn(OtherServer)) return OtherServerBase + patient;
        var user = variations.IsOn(RelatedPerson) ? RepresentativeOf(patient, store) : patient;
        return variations.IsOn(Relative) ? user : new Uri(baseUrl, "r4/" + user).AbsoluteUri;
    }

    /// <summary>The member's RelatedPerson; a data folder without one for this member is a setup error naming the fix.</summary>
    private static string RepresentativeOf(string patient, FhirResourceStore store) =>
        store.OfType("RelatedPerson").OfType<Hl7.Fhir.Model.RelatedPerson>().FirstOrDefault(r => r.Patient?.Reference == patient) is { } representative
            ? "RelatedPerson/" + Uri.EscapeDataString(representative.Id!)
            : throw new SandboxConfigurationException(
                $"The variation {RelatedPerson} needs a RelatedPerson whose patient is {patient} in the data folder; add one or turn the variation off.");
}
