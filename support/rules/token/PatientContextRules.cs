using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.OAuth;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>The patient in context a standalone patient launch's token response names (SMART launch context), and that it can be read.</summary>
public sealed class PatientContextRules(Check check)
{
    /// <summary>
    /// The patient in context requests about the member's records start from. Without one, the scenario fails on
    /// smart-token-patient-context, or, when the policy makes that rule warn or off, is skipped saying so.
    /// </summary>
    public string RequirePatientToStartFrom(string? patient)
    {
        if (!check.Holds(!string.IsNullOrEmpty(patient), Requirements.SmartTokenPatientContext,
                "The token response must name the patient in context (\"patient\").", "the token response has no \"patient\""))
            check.CannotContinue(Requirements.SmartTokenPatientContext, "this scenario's requests about the member's records, which start from the patient in context");
        return patient!;
    }

    /// <summary>Another member's token must name their patient; without one, <paramref name="leftUnchecked"/> is skipped.</summary>
    public string RequireOtherMembersPatient(TokenResponse token, string leftUnchecked)
    {
        if (!check.Holds(!string.IsNullOrEmpty(token.Patient), Requirements.SmartTokenPatientContext,
                "The other member's token response must name their patient in context.", "no \"patient\""))
            check.CannotContinue(Requirements.SmartTokenPatientContext, leftUnchecked);
        return token.Patient!;
    }

    public void RequireOtherMembersPatientReadable(ReceivedResource? read, FhirResponse response) =>
        check.That(read is not null, Requirements.SmartTokenPatientContext, "The other member's patient in context must be readable with their token.", response.Describe());

    /// <summary>Reads the patient in context with the access token; with none named (the policy let the scenario go on) notes what is left out.</summary>
    public async Task RequireReadableAsync(FhirConversation fhir, string? patient)
    {
        if (patient is null)
        {
            check.NotChecked(Requirements.SmartTokenPatientContext, "that the patient in context can be read, as the token response names none");
            return;
        }
        var (resource, response) = await fhir.ReadAsync($"Patient/{patient}");
        check.That(resource is not null, Requirements.SmartTokenPatientContext, "The patient in context must be readable with the access token.", response.Describe());
    }

    /// <summary>The member who signed in (fhirUser) is the patient whose records the token grants (the token response's patient).</summary>
    public void RequireFhirUserIsPatientInContext(FhirUserReference fhirUser, string patientId)
    {
        var patient = $"Patient/{patientId}";
        check.That(fhirUser.Relative == patient, Requirements.SmartFhiruser,
            $"The id_token's fhirUser must be the patient in context the token response names ({patient}): the member who signed in is the patient whose records the token grants.",
            $"fhirUser names {fhirUser.Relative}");
    }
}
