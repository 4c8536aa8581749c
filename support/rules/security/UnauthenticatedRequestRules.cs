using System.Net;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.Redaction;
using DigitalInsurance.Conformance.Support.Session;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// The member's own reads and searches sent without a valid access token: none at all, a malformed one, or the member's
/// real token altered. Every one must be refused with 401.
/// </summary>
public sealed class UnauthenticatedRequestRules(ConformanceScenario scenario, Check check)
{
    public static readonly Requirement Rule = Requirements.SmartApiRequiresToken;

    private readonly List<FhirResponse> _answers = [];

    /// <summary>Reads the patient in context and searches Patient, Coverage and Organization with <paramref name="bearerToken"/> (null: no Authorization header).</summary>
    public async Task SendAsync(string? bearerToken)
    {
        var api = scenario.FhirApiWith(bearerToken);
        foreach (var request in new[] { $"Patient/{scenario.PatientInContext}", "Patient", "Coverage", "Organization" })
            _answers.Add(await api.GetAsync(request));
    }

    /// <summary>The member's access token with one character changed, so that only a server checking its integrity refuses it.</summary>
    public static string Altered(string token)
    {
        // In a JWT the signature is the last part; its final character may carry only padding bits, so change one inside it.
        var position = token.Length - Math.Min(token.Length, Math.Max(2, (token.Length - token.LastIndexOf('.') - 1) / 2));
        var replacement = token[position] == 'A' ? 'B' : 'A';
        var altered = string.Concat(token.AsSpan(0, position), replacement.ToString(), token.AsSpan(position + 1));
        Secrets.Register(altered, "altered access token");
        return altered;
    }

    public void RequireEvery401()
    {
        check.That(_answers.Count > 0, Rule, "The app must have sent requests without a valid token.", "none were sent");
        var accepted = _answers.Where(a => a.Status != HttpStatusCode.Unauthorized).Select(a => a.Describe()).ToList();
        check.That(accepted.Count == 0, Rule,
            "The FHIR API must refuse every request without a valid access token with 401 Unauthorized.",
            string.Join("; ", accepted));
    }
}
