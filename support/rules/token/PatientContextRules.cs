using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.OAuth;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>The patient in context a standalone patient launch's token response names (SMART launch context), and that it can be read.</summary>
public static class PatientContextRules
{
    /// <summary>
    /// The patient in context requests about the member's records start from. Without one, the scenario fails on
    /// smart-token-patient-context, or, when the policy makes that rule warn or off, is skipped saying so.
    /// </summary>
    public static string RequirePatientToStartFrom(string? patient)
    {
        if (!Check.Holds(!string.IsNullOrEmpty(patient), Requirements.SmartTokenPatientContext,
                "The token response must name the patient in context (\"patient\").", "the token response has no \"patient\""))
            Check.CannotContinue(Requirements.SmartTokenPatientContext, "this scenario's requests about the member's records, which start from the patient in context");
        return patient!;
    }

    /// <summary>Another member's token must name their patient; without one, <paramref name="leftUnchecked"/> is skipped.</summary>
    public static string RequireOtherMembersPatient(TokenResponse token, string leftUnchecked)
    {
        if (!Check.Holds(!string.IsNullOrEmpty(token.Patient), Requirements.SmartTokenPatientContext,
                "The other member's token response must name their patient in context.", "no \"patient\""))
            Check.CannotContinue(Requirements.SmartTokenPatientContext, leftUnchecked);
        return token.Patient!;
    }

    public static void RequireOtherMembersPatientReadable(ReceivedResource? read, FhirResponse response) =>
        Check.That(read is not null, Requirements.SmartTokenPatientContext, "The other member's patient in context must be readable with their token.", response.Describe());

    /// <summary>Reads the patient in context with the access token; with none named (the policy let the scenario go on) notes what is left out.</summary>
    public static async Task RequireReadableAsync(FhirConversation fhir, string? patient)
    {
        if (patient is null)
        {
            Check.NotChecked(Requirements.SmartTokenPatientContext, "that the patient in context can be read, as the token response names none");
            return;
        }
        var (resource, response) = await fhir.ReadAsync($"Patient/{patient}");
        Check.That(resource is not null, Requirements.SmartTokenPatientContext, "The patient in context must be readable with the access token.", response.Describe());
    }
}
