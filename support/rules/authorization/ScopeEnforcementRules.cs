using System.Net;
using DigitalInsurance.Conformance.Support.Fhir;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>A token is good for the scope it was granted and nothing else: what it was not granted, the FHIR API refuses.</summary>
public sealed class ScopeEnforcementRules(Check check)
{
    /// <summary>
    /// With the scenario's token (granted no Coverage scope), a search for the member's Coverage is refused 403
    /// (C4DIC: insufficient scopes) or 401, and carries no Coverage.
    /// </summary>
    public Task RequireCoverageRefusedAsync(FhirConversation fhir, string? patientInContext) =>
        RequireCoverageRefusedAsync(fhir, patientInContext, Requirements.SmartScopeEnforced,
            "A token granted patient/Patient.read but no Coverage scope must not search Coverage: the FHIR API must answer 403 (C4DIC CapabilityStatement: insufficient scopes) or 401.");

    /// <summary>The same probe for a token another rule narrowed (e.g. a refresh asking for less), judged for that rule.</summary>
    public async Task RequireCoverageRefusedAsync(FhirConversation fhir, string? patientInContext, Requirement rule, string expectation)
    {
        if (patientInContext is null)
            throw new NUnit.Framework.IgnoreException(
                $"Not run: the narrower token names no patient in context to search Coverage for ([{Requirements.SmartTokenPatientContext.Id}] reports that).");
        var response = await fhir.GetAsync($"Coverage?patient={Uri.EscapeDataString(patientInContext)}");
        check.That(response.Status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, rule, expectation, response.Describe());
    }
}
