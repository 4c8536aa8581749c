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
            e.ObjectContainer.RegisterTypeAs<NUnitRuntimeProvider, IUnitTestRuntimeProvider>(ProviderName);
        runtimePluginEvents.CustomizeTestThreadDependencies += (_, e) =>
        {
            e.ObjectContainer.RegisterTypeAs<NUnitTraceListener, ITraceListener>();
            e.ObjectContainer.RegisterTypeAs<NUnitAttachmentHandler, IReqnrollAttachmentHandler>();
        };
        unitTestProviderConfiguration.UseUnitTestProvider(ProviderName);
    }
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
