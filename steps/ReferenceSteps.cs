using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.Session;
using DigitalInsurance.Conformance.Support.Validation;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class ReferenceSteps(ConformanceScenario scenario, ReferenceRules referenceRules)
{
    private readonly Dictionary<string, IReadOnlyList<ResolvedReference>> _followed = new(StringComparer.Ordinal);

    [When("the app follows each Coverage's {word} with the member's token")]
    public async Task WhenTheAppFollows(string element) =>
        _followed[element] = await new ReferenceResolver(scenario.Fhir).ResolveAllAsync(scenario.Fhir.FoundOfType("Coverage").ToList(), $"Coverage.{element}");

    [Then("every Coverage.{word} followed resolves to a resource that meets its target profiles")]
    public async Task ThenEveryReferenceResolvesAndMeetsItsTargetProfiles(string element)
    {
        if (!_followed.TryGetValue(element, out var references))
            throw new InvalidOperationException($"A step must first follow each Coverage's {element}.");
        referenceRules.RequireResolvedAndConformant(await scenario.ValidatorAsync(), scenario.Evidence, $"Coverage.{element}", references);
    }
}
