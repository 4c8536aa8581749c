using DigitalInsurance.Conformance.Support.Session;
using Reqnroll.BoDi;

namespace DigitalInsurance.Conformance.Support.Runner;

/// <summary>
/// The conformance run's place in Reqnroll's global container, so hooks and scenarios of every test thread get it by
/// injection (kept apart: samples that reuse the reporting wiring have no run).
/// </summary>
internal static partial class HarnessWiring
{
    static partial void OnRegisterGlobalDependencies(IObjectContainer container) =>
        container.RegisterInstanceAs(new ConformanceRunHandle());
}
