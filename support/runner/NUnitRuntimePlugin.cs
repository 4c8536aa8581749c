using DigitalInsurance.Conformance.Support.Runner;
using NUnit.Framework;
using Reqnroll;
using Reqnroll.BoDi;
using Reqnroll.Infrastructure;
using Reqnroll.Plugins;
using Reqnroll.Tracing;
using Reqnroll.UnitTestProvider;

[assembly: RuntimePlugin(typeof(NUnitRuntimePlugin))]

namespace DigitalInsurance.Conformance.Support.Runner;

/// <summary>
/// What the Reqnroll.NUnit package would contribute at run time: the "nunit" unit-test provider (Reqnroll
/// refuses to start without one), step output into NUnit's test output, and attachments into NUnit's result.
/// </summary>
public sealed class NUnitRuntimePlugin : IRuntimePlugin
{
    public const string ProviderName = "nunit";

    public void Initialize(RuntimePluginEvents runtimePluginEvents, RuntimePluginParameters runtimePluginParameters,
        UnitTestProviderConfiguration unitTestProviderConfiguration)
    {
        runtimePluginEvents.RegisterGlobalDependencies += (_, e) =>
        {
            e.ObjectContainer.RegisterTypeAs<NUnitRuntimeProvider, IUnitTestRuntimeProvider>(ProviderName);
            HarnessWiring.RegisterGlobalDependencies(e.ObjectContainer);
        };
        runtimePluginEvents.CustomizeTestThreadDependencies += (_, e) =>
        {
            e.ObjectContainer.RegisterFactoryAs<ITraceListener>(container =>
                HarnessWiring.TraceListener(new NUnitTraceListener(container.Resolve<ITraceListenerQueue>(), container)));
            e.ObjectContainer.RegisterTypeAs<NUnitAttachmentHandler, IReqnrollAttachmentHandler>();
        };
        unitTestProviderConfiguration.UseUnitTestProvider(ProviderName);
        HarnessWiring.RuntimePluginInitialized(runtimePluginEvents);
    }
}

/// <summary>
/// Where the harness plugs into the runner (reporting, redaction) without the runner depending on it: partial
/// methods, implemented in HarnessWiring.cs of the harness; a project that leaves them out (the bridge sample) gets none.
/// </summary>
internal static partial class HarnessWiring
{
    public static void RuntimePluginInitialized(RuntimePluginEvents events) => OnRuntimePluginInitialized(events);

    public static void RegisterGlobalDependencies(IObjectContainer container) => OnRegisterGlobalDependencies(container);

    public static ITraceListener TraceListener(ITraceListener nunitListener)
    {
        var listener = nunitListener;
        DecorateTraceListener(ref listener);
        return listener;
    }

    public static void ScenarioIgnored(FeatureInfo feature, ScenarioInfo scenario, RuleInfo? rule, string reason, IReadOnlyList<string> steps) =>
        OnScenarioIgnored(feature, scenario, rule, reason, steps);

    public static void ScenarioNotRun(FeatureInfo feature, ScenarioInfo scenario, RuleInfo? rule, string reason, IReadOnlyList<string> steps) =>
        OnScenarioNotRun(feature, scenario, rule, reason, steps);

    public static void TestRunEnded() => OnTestRunEnded();

    /// <returns>The labels of the members that @per-member scenarios run for, as discovery sees them; null: none.</returns>
    public static IReadOnlyList<string>? MembersForDiscovery(string outputFolder)
    {
        IReadOnlyList<string>? members = null;
        ReadMembersForDiscovery(outputFolder, ref members);
        return members;
    }

    /// <returns>The error as it may be shown: NUnit's messages and stack traces end up in TRX files and console summaries.</returns>
    public static Exception Redact(Exception error)
    {
        RedactError(ref error);
        return error;
    }

    /// <summary>From the runtime plugin's Initialize, after the runner's own registrations.</summary>
    static partial void OnRuntimePluginInitialized(RuntimePluginEvents events);

    /// <summary>Objects every test thread shares (Reqnroll's global container), registered before the test run starts.</summary>
    static partial void OnRegisterGlobalDependencies(IObjectContainer container);

    /// <summary>Wraps the per-thread trace listener (Reqnroll's step lines and errors) that writes into NUnit's test output.</summary>
    static partial void DecorateTraceListener(ref ITraceListener listener);

    /// <summary>An @ignore scenario: NUnit reports it ignored, Reqnroll never sees it.</summary>
    static partial void OnScenarioIgnored(FeatureInfo feature, ScenarioInfo scenario, RuleInfo? rule, string reason, IReadOnlyList<string> steps);

    /// <summary>A scenario that could not run because the test run or its feature did not start; Reqnroll never sees it.</summary>
    static partial void OnScenarioNotRun(FeatureInfo feature, ScenarioInfo scenario, RuleInfo? rule, string reason, IReadOnlyList<string> steps);

    /// <summary>After Reqnroll's test run ended: [AfterTestRun] hooks ran and the formatters closed their files.</summary>
    static partial void OnTestRunEnded();

    /// <summary>Replaces a failure about to be handed to NUnit by one safe to show (e.g. secrets redacted).</summary>
    static partial void RedactError(ref Exception error);

    /// <summary>The member labels @per-member scenarios are multiplied by (the harness's members file).</summary>
    static partial void ReadMembersForDiscovery(string outputFolder, ref IReadOnlyList<string>? members);
}

/// <summary>
/// Reqnroll calls <see cref="TestPending"/> for undefined and pending steps (reqnroll.json sets
/// <c>missingOrPendingStepsOutcome: Pending</c>); the message carries the binding snippet. Such a scenario
/// proves nothing, so it fails instead of ending up inconclusive, which VSTest leaves out of its totals.
/// </summary>
internal sealed class NUnitRuntimeProvider : IUnitTestRuntimeProvider
{
    public void TestPending(string message) => Assert.Fail(message);

    public void TestInconclusive(string message) => Assert.Inconclusive(message);

    public void TestIgnore(string message) => Assert.Ignore(message);

    public ScenarioExecutionStatus? DetectExecutionStatus(Exception exception) => exception switch
    {
        InconclusiveException or IgnoreException => ScenarioExecutionStatus.Skipped,
        _ => null,
    };
}

internal sealed class NUnitTraceListener(ITraceListenerQueue traceListenerQueue, IObjectContainer container)
    : AsyncTraceListener(traceListenerQueue, container)
{
    private readonly Lazy<IContextManager> _contextManager = new(container.Resolve<IContextManager>);

    public override void WriteTestOutput(string message)
    {
        TestContext.Out.WriteLine(message);
        // Inside a scenario NUnit already captured the line for the test; outside one, keep Reqnroll's output.
        if (_contextManager.Value.ScenarioContext is null)
            base.WriteTestOutput(message);
    }

    public override void WriteToolOutput(string message)
    {
        TestContext.Out.WriteLine("-> " + message);
        if (_contextManager.Value.ScenarioContext is null)
            base.WriteToolOutput(message);
    }
}

internal sealed class NUnitAttachmentHandler(ITraceListener traceListener) : ReqnrollAttachmentHandler(traceListener)
{
    public override void AddAttachment(string filePath)
    {
        try
        {
            TestContext.AddTestAttachment(filePath);
        }
        catch (Exception)
        {
            // Outside a test (e.g. a run-level hook) NUnit has no result to attach to.
            base.AddAttachment(filePath);
        }
    }
}
