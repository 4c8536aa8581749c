using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Discovery;
using DigitalInsurance.Conformance.Support.Session;
using Hl7.Fhir.Model;
using Reqnroll;
using Task = System.Threading.Tasks.Task;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class DiscoverySteps(ConformanceScenario scenario, SmartConfigurationRules smartConfigurationRules, CapabilityStatementRules capabilityStatementRules)
{
    private SmartConfiguration? _smart;
    private CapabilityStatement? _capability;

    private SmartConfiguration Smart => _smart ?? throw new InvalidOperationException("A step must fetch the SMART configuration first.");
    private CapabilityStatement Capability => _capability ?? throw new InvalidOperationException("A step must read the CapabilityStatement first.");

    [When("the app fetches the SMART configuration from the FHIR base URL")]
    public async Task WhenTheAppFetchesTheSmartConfiguration() => _smart = await smartConfigurationRules.FetchAsync(scenario.Fhir);

    [When("the app reads the server's CapabilityStatement")]
    public async Task WhenTheAppReadsTheCapabilityStatement() => _capability = await capabilityStatementRules.ReadAsync(scenario.Fhir);

    [Then("the SMART configuration is a JSON object")]
    public void ThenItIsAJsonObject() => _ = Smart;

    [Then("the SMART configuration names an authorization_endpoint and a token_endpoint")]
    public void ThenItNamesTheEndpoints() => smartConfigurationRules.RequireEndpoints(Smart);

    [Then("the SMART configuration lists these capabilities:")]
    public void ThenItListsTheseCapabilities(DataTable capabilities) => smartConfigurationRules.RequireCapabilities(Smart, capabilities.Rows.Select(r => r["capability"]));

    [Then("the SMART configuration's code_challenge_methods_supported includes {string} but not {string}")]
    public void ThenItSupportsTheChallengeMethod(string included, string excluded) => smartConfigurationRules.RequireChallengeMethods(Smart, included, excluded);

    [Then("the CapabilityStatement declares FHIR version {string} and the JSON format")]
    public void ThenItDeclaresR4Json(string version) => capabilityStatementRules.RequireR4Json(Capability, version);

    [Then("the CapabilityStatement supports read and search-type for these resources with these profiles:")]
    public void ThenItSupportsTheResources(DataTable resources)
    {
        foreach (var row in resources.Rows) capabilityStatementRules.RequireResource(Capability, row["resource"], row["profile"]);
    }

    [Then("the CapabilityStatement names the SMART-on-FHIR security service")]
    public void ThenItNamesSmartSecurity() => capabilityStatementRules.RequireSmartSecurity(Capability);

    [Then("its oauth-uris authorize and token match the SMART configuration's endpoints")]
    public void ThenOAuthUrisMatch() => capabilityStatementRules.RequireOAuthUrisMatch(Capability, Smart);
}
