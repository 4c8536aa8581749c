using DigitalInsurance.Conformance.Support.Redaction;
using DigitalInsurance.Conformance.Support.Reporting;
using DigitalInsurance.Conformance.Support.Reporting.Progress;
using Reqnroll;
using Reqnroll.Plugins;
using Reqnroll.Tracing;

namespace DigitalInsurance.Conformance.Support.Runner;

/// <summary>The conformance harness's reporting and redaction, wired into the runner (see the declarations in NUnitRuntimePlugin.cs).</summary>
internal static partial class HarnessWiring
{
    static partial void OnRuntimePluginInitialized(RuntimePluginEvents events) => AllureReporting.Attach(events);

    static partial void DecorateTraceListener(ref ITraceListener listener) => listener = new RedactingTraceListener(listener);

    static partial void OnScenarioIgnored(FeatureInfo feature, ScenarioInfo scenario, RuleInfo? rule, string reason, IReadOnlyList<string> steps) =>
        AllureReporting.WriteSkipped(feature, scenario, rule, reason, steps);

    static partial void OnScenarioNotRun(FeatureInfo feature, ScenarioInfo scenario, RuleInfo? rule, string reason, IReadOnlyList<string> steps) =>
        AllureReporting.WriteNotRun(feature, scenario, rule, reason, steps);

    static partial void OnTestRunEnded()
    {
        AllureReporting.RedactReqnrollReports();
        RunSummary.Write();
    }

    static partial void RedactError(ref Exception error) => error = Secrets.RedactException(error);
}
