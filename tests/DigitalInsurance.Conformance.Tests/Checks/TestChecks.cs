using DigitalInsurance.Conformance.Support.Reporting;
using DigitalInsurance.Conformance.Support.Rules;

namespace DigitalInsurance.Conformance.Tests.Checks;

/// <summary>Checks for tests of rules outside a scenario: fresh evidence, no tags, the catalogue's default policy.</summary>
internal static class TestChecks
{
    public static Check Default() => new(new CheckScope(new ScenarioEvidence(), [], RequirementPolicy.Default));
}
