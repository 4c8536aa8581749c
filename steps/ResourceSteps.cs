using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.Session;
using Hl7.Fhir.Model;
using Reqnroll;
using Task = System.Threading.Tasks.Task;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class ResourceSteps(ConformanceScenario scenario, SearchRules searchRules, ProfileRules profileRules, ResponseRules responseRules, ResourceRules resourceRules)
{
    private FhirConversation Fhir => scenario.Fhir;

    [When("the app searches for {string} resources")]
    public Task WhenTheAppSearches(string type) => searchRules.SearchAsync(Fhir, type, null, Requirements.FhirSearch);

    [When("the app searches for {string} resources of the patient in context")]
    public Task WhenTheAppSearchesForThePatient(string type) =>
        searchRules.SearchAsync(Fhir, type, $"patient={Uri.EscapeDataString(scenario.PatientInContext)}", Requirements.FhirSearch);

    [When("the app reads the patient in context")]
    public Task WhenTheAppReadsThePatient() => Fhir.ReadAsync($"Patient/{scenario.PatientInContext}");

    [When("the app reads each {string} found by its id")]
    public async Task WhenTheAppReadsEach(string type)
    {
        foreach (var found in Fhir.FoundOfType(type).ToList()) await Fhir.ReadAsync(found.Reference);
    }

    [Then("the server answers 200 with a searchset Bundle")]
    public void ThenSearchset() => responseRules.RequireSearchset(Fhir.RequireLastResponse(), Requirements.FhirSearch);

    [Then("the server answers 200 with a {string} resource")]
    public void ThenResourceOfType(string type) => resourceRules.RequireReadOfType(Fhir.RequireLastResponse(), type);

    [Then("the Bundle contains the patient in context")]
    public void ThenBundleContainsThePatient() => resourceRules.RequireContainsPatient(Fhir, scenario.PatientInContext);

    [Then("the Bundle contains at least one {string}")]
    public void ThenBundleContainsAtLeastOne(string type) => resourceRules.RequireAtLeastOne(Fhir, type);

    [Then("the resource read equals the one found by search")]
    public async Task ThenReadEqualsSearch()
    {
        var read = Fhir.Reads.LastOrDefault();
        if (Fhir.Found.Count == 0 && read.Resource is not null) await searchRules.SearchAsync(Fhir, read.Resource.TypeName, null, Requirements.FhirSearch);
        resourceRules.RequireReadSameAsSearch(read.Resource, read.Response, Fhir.Found);
    }

    [Then("every read answers 200 and equals the resource found by search")]
    public void ThenEveryReadEqualsSearch() => resourceRules.RequireEveryReadMatchesSearch(Fhir);

    [Then("every {string} returned meets its profiles")]
    public Task ThenEveryResourceMeetsItsProfiles(string type) =>
        profileRules.RequireValidAsync(scenario, Fhir.Received(type), Requirements.ProfileOf(type));

    [Then("every {string} returned meets its US Core profiles")]
    public Task ThenEveryResourceMeetsItsUsCoreProfiles(string type) =>
        profileRules.RequireUsCoreValidAsync(scenario, Fhir.Received(type), Requirements.UsCorePatientProfile);

    [Then("every Coverage's beneficiary refers to the patient in context")]
    public void ThenEveryBeneficiaryIsThePatient() => resourceRules.RequireBeneficiaryIs(Fhir, scenario.PatientInContext);

    [Then("every Coverage's payor can be read and meets its profiles")]
    public async Task ThenEveryPayorMeetsItsProfiles() =>
        await profileRules.RequireValidAsync(scenario, await resourceRules.ReadPayorsAsync(Fhir), Requirements.C4dicOrganizationProfile);
}
