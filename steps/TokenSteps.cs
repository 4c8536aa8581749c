using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.OAuth;
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
    public void ThenTheTokenEndpointAnswered200() => TokenResponseRules.RequireOkJson(scenario.RequireToken());

    [Then("the token response carries an access_token")]
    public void ThenItCarriesAnAccessToken() => TokenResponseRules.RequireAccessToken(scenario.RequireToken());

    [Then("the token response's token_type is {string}")]
    public void ThenTheTokenTypeIs(string expected) => TokenResponseRules.RequireTokenType(scenario.RequireToken(), expected);

    [Then("the token response's expires_in is a number of seconds")]
    public void ThenExpiresInIsANumber() => TokenResponseRules.RequireExpiresInSeconds(scenario.RequireToken());

    [Then("the token response lists the granted scope")]
    public void ThenItListsTheScope() => TokenResponseRules.RequireScope(scenario.RequireToken());

    [Then("the token response carries the patient in context")]
    public void ThenItCarriesThePatient() => TokenResponseRules.RequirePatientInContext(scenario.RequireToken());

    [Then("the patient in context can be read with the access token")]
    public async Task ThenThePatientCanBeRead()
    {
        // Reached without a patient only when the policy let the step before go on (warn, off): nothing to read then.
        if (scenario.PatientInContextIfNamed is not { } patient)
        {
            Check.NotChecked(Requirements.SmartTokenPatientContext, "that the patient in context can be read, as the token response names none");
            return;
        }
        var (resource, response) = await scenario.Fhir.ReadAsync($"Patient/{patient}");
        Check.That(resource is not null, Requirements.SmartTokenPatientContext, "The patient in context must be readable with the access token.", response.Describe());
    }

    [Then("the token response has the header {string} containing {string}")]
    public void ThenTheTokenResponseHasTheHeader(string header, string value) =>
        TokenResponseRules.RequireHeader(scenario.RequireToken(), header, value);
}
