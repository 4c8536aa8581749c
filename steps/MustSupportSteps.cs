using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.Session;
using DigitalInsurance.Conformance.Support.Validation;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class MustSupportSteps(ConformanceScenario scenario, MustSupportRules mustSupportRules, MemberResources memberResources)
{
    private GatheredResources? _gathered;
    private string? _gatheredType;

    [When("the app gathers every {string} the member can get")]
    public async Task WhenTheAppGathers(string type)
    {
        _gathered = await memberResources.GatherAsync(scenario.Fhir, type, scenario.PatientInContext);
        _gatheredType = type;
        scenario.Evidence.AddText($"{type} resources gathered ({_gathered.Resources.Count})", "text/plain", "txt",
            string.Join(Environment.NewLine, _gathered.Resources.Select(r => _gathered.Payors.Contains(r.Reference) ? $"{r.Reference} (a Coverage's payor)" : r.Reference).DefaultIfEmpty("none")));
    }

    [Then("together they populate every Must Support element and slice of the {word} profiles")]
    public async Task ThenTogetherTheyPopulateEveryMustSupportElement(string type)
    {
        if (_gathered is null || _gatheredType != type)
            throw new InvalidOperationException($"A step must first gather every {type} the member can get.");
        mustSupportRules.RequireEveryElementPopulated(await scenario.ValidatorAsync(), scenario.Evidence, type,
            _gathered.Resources.Select(r => r.Resource).ToList(), _gathered.Payors);
    }
}
