using DemoHealthPlan.Sandbox.Faults;

namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>
/// The fhirUser claim the sandbox issues for a member: the absolute URL of their Patient on its FHIR base by default;
/// relative to that base under the variation <see cref="Relative"/> (SMART: the URL "MAY be absolute … or it MAY be
/// relative to the FHIR server base URL"); on another server under the fault <see cref="OtherServer"/>.
/// </summary>
internal static class FhirUserClaim
{
    public const string Relative = "fhiruser-relative-url";
    public const string OtherServer = "fhiruser-other-server";

    /// <summary>Another payer's FHIR base, which the member's token does not open.</summary>
    public const string OtherServerBase = "https://other-payer.example/fhir/";

    public static string For(string patientId, Uri baseUrl, SandboxVariations variations, SandboxFaults faults)
    {
        var patient = "Patient/" + Uri.EscapeDataString(patientId);
        if (faults.IsOn(OtherServer)) return OtherServerBase + patient;
        return variations.IsOn(Relative) ? patient : new Uri(baseUrl, "r4/" + patient).AbsoluteUri;
    }
}
