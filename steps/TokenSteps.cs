using System.Net;
using System.Text.Json;
using DigitalInsurance.Conformance.Support.Checks;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class TokenSteps(ConformanceScenario scenario)
{
    [Given("the member has authorized the app and the app has exchanged the code for a token")]
    [Given("the app holds an access token for the member")]
    public Task GivenTheSharedSession() => scenario.UseSharedSessionAsync();

    [Then("the token endpoint answered 200 with a JSON body")]
    public void ThenTheTokenEndpointAnswered200()
    {
        var token = scenario.RequireToken();
        Check.That(token.StatusCode == HttpStatusCode.OK, "smart-token-response", "The token endpoint must answer a valid code exchange with 200 OK.",
            $"HTTP {(int)token.StatusCode}");
        Check.That(token.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true && token.IsJsonObject,
            "smart-token-response", "The token response must be a JSON object labelled application/json.", $"Content-Type {token.ContentType ?? "(none)"}");
    }

    [Then("the token response carries an access_token")]
    public void ThenItCarriesAnAccessToken() =>
        Check.That(!string.IsNullOrEmpty(scenario.RequireToken().AccessToken), "smart-token-response",
            "The token response must carry a non-empty access_token string.");

    [Then("the token response's token_type is {string}")]
    public void ThenTheTokenTypeIs(string expected) =>
        Check.That(string.Equals(scenario.RequireToken().TokenType, expected, StringComparison.OrdinalIgnoreCase), "smart-token-type-bearer",
            $"The token response's token_type must be \"{expected}\" (compared case-insensitively).", $"token_type {Describe(scenario.RequireToken().TokenType)}");

    [Then("the token response's expires_in is a number of seconds")]
    public void ThenExpiresInIsANumber()
    {
        var kind = scenario.RequireToken().FieldKind("expires_in");
        Check.That(kind is JsonValueKind.Number or JsonValueKind.Undefined, "smart-token-response",
            "When the token response has expires_in, it must be a JSON number of seconds (RFC 6749 section 5.1).", $"expires_in is a JSON {kind}");
        // SMART: "Recommended", so its absence is a warning unless the policy setting says otherwise.
        Check.That(kind != JsonValueKind.Undefined, "smart-token-expires-in",
            "The token response should carry expires_in, the lifetime in seconds of the access token.", "expires_in is absent");
    }

    [Then("the token response lists the granted scope")]
    public void ThenItListsTheScope() =>
        Check.That(!string.IsNullOrWhiteSpace(scenario.RequireToken().Scope), "smart-token-response",
            "The token response must list the scope granted to the app (SMART App Launch: scope is required).");

    [Then("the token response carries the patient in context")]
    public void ThenItCarriesThePatient() =>
        Check.That(!string.IsNullOrWhiteSpace(scenario.RequireToken().Patient), "smart-token-patient-context",
            "A standalone launch with patient/ scopes must return the patient in context as \"patient\" in the token response.");

    [Then("the patient in context can be read with the access token")]
    public async Task ThenThePatientCanBeRead()
    {
        // Reached without a patient only when the policy let the step before go on (warn, off): nothing to read then.
        if (scenario.PatientInContextIfNamed is not { } patient)
        {
            Check.NotChecked("smart-token-patient-context", "that the patient in context can be read, as the token response names none");
            return;
        }
        var (resource, response) = await scenario.Fhir.ReadAsync($"Patient/{patient}");
        Check.That(resource is not null, "smart-token-patient-context",
            "The patient in context must be readable with the access token.", response.Describe());
    }

    [Then("the token response has the header {string} containing {string}")]
    public void ThenTheTokenResponseHasTheHeader(string header, string value) =>
        Check.That(scenario.RequireToken().Header(header)?.Contains(value, StringComparison.OrdinalIgnoreCase) == true, "smart-token-no-store",
            $"The token response must carry the header {header}: {value} (RFC 6749 section 5.1).",
            $"{header}: {scenario.RequireToken().Header(header) ?? "(absent)"}");

    private static string Describe(string? value) => value is null ? "absent" : $"\"{value}\"";
}
