using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class TokenSteps(ConformanceScenario scenario, TokenResponseRules tokenResponseRules, PatientContextRules patientContextRules)
{
    [Given("the member has authorized the app and the app has exchanged the code for a token")]
    [Given("the app holds an access token for the member")]
    public Task GivenTheSharedSession() => scenario.UseSharedSessionAsync();

    [Then("the token endpoint answered 200 with a JSON body")]
    public void ThenTheTokenEndpointAnswered200() => tokenResponseRules.RequireOkJson(scenario.RequireToken());

    [Then("the token response carries an access_token")]
    public void ThenItCarriesAnAccessToken() => tokenResponseRules.RequireAccessToken(scenario.RequireToken());

    [Then("the token response's token_type is {string}")]
    public void ThenTheTokenTypeIs(string expected) => tokenResponseRules.RequireTokenType(scenario.RequireToken(), expected);

    [Then("the token response's expires_in is a number of seconds")]
    public void ThenExpiresInIsANumber() => tokenResponseRules.RequireExpiresInSeconds(scenario.RequireToken());

    [Then("the token response lists the granted scope")]
    public void ThenItListsTheScope() => tokenResponseRules.RequireScope(scenario.RequireToken());

    [Then("the token response carries the patient in context")]
    public void ThenItCarriesThePatient() => tokenResponseRules.RequirePatientInContext(scenario.RequireToken());

    [Then("the patient in context can be read with the access token")]
    public Task ThenThePatientCanBeRead() => patientContextRules.RequireReadableAsync(scenario.Fhir, scenario.PatientInContextIfNamed);

    [Then("the token response has the header {string} containing {string}")]
    public void ThenTheTokenResponseHasTheHeader(string header, string value) =>
        tokenResponseRules.RequireHeader(scenario.RequireToken(), header, value);
}
