using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class MemberSteps(ConformanceScenario scenario, MemberIdentityRules memberIdentity)
{
    [Then("the patient in context has the member's name and birth date, and the member's ID on the Patient or on a Coverage of theirs, found by its type")]
    public void ThenThePatientIsTheMember() => memberIdentity.RequireTheMember(scenario.Fhir, scenario.PatientInContext, scenario.Member);

    [Then("every Coverage of the patient in context names as subscriber the member themself, or a RelatedPerson of theirs")]
    public async Task ThenEverySubscriberIsTheMemberOrTheirs() => await memberIdentity.RequireSubscriberIsTheMemberOrTheirsAsync(scenario.Fhir, scenario.PatientInContext);
}
