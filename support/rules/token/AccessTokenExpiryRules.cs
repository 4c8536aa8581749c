using System.Net;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.Session;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// The scenario's own access token reads the member's Patient within its stated lifetime and again after it: the first
/// read shows the token opened the API, the second must be refused with 401.
/// </summary>
public sealed class AccessTokenExpiryRules(ConformanceScenario scenario, Check check)
{
    public static readonly Requirement Rule = Requirements.SmartAccessTokenExpiry;

    private FhirResponse? _withinLifetime;
    private FhirResponse? _afterLifetime;

    public async Task ReadWithinLifetimeAsync() => _withinLifetime = await ReadPatientAsync();

    public async Task ReadAfterLifetimeAsync() => _afterLifetime = await ReadPatientAsync();

    /// <summary>A token the API never accepted proves nothing by being refused later.</summary>
    public void RequireServedWithinLifetime()
    {
        var answer = _withinLifetime ?? throw new InvalidOperationException("The member's Patient was not read within the token's lifetime: a step must read it first.");
        check.That(answer.Status == HttpStatusCode.OK, Rule,
            "Within its lifetime the access token must open the member's Patient; otherwise its refusal after the lifetime proves nothing.",
            answer.Describe());
    }

    public void RequireRefusedAfterLifetime()
    {
        var answer = _afterLifetime ?? throw new InvalidOperationException("The member's Patient was not read after the token's lifetime: a step must read it first.");
        var challenge = answer.Headers.TryGetValue("WWW-Authenticate", out var header) ? $" with WWW-Authenticate: {header}" : "";
        check.That(answer.Status == HttpStatusCode.Unauthorized, Rule,
            "An access token past the lifetime its token response stated (expires_in) must be refused with 401 (RFC 6750 section 3.1, invalid_token: \"The access token provided is expired\").",
            answer.Describe() + challenge);
    }

    private Task<FhirResponse> ReadPatientAsync()
    {
        var patient = scenario.PatientInContextIfNamed
            ?? throw new NUnit.Framework.IgnoreException(
                $"Not run: the token names no patient in context whose Patient to read ([{Requirements.SmartTokenPatientContext.Id}] reports that).");
        return scenario.Fhir.GetAsync($"Patient/{Uri.EscapeDataString(patient)}");
    }
}
