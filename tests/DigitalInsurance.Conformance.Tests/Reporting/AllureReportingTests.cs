using DigitalInsurance.Conformance.Support.Redaction;
using DigitalInsurance.Conformance.Support.Reporting;
using System.Reflection;
using NUnit.Framework;
using Reqnroll;
using Reqnroll.BoDi;
using Reqnroll.Events;
using Reqnroll.Infrastructure;
using Reqnroll.Plugins;
using Reqnroll.Tracing;

namespace DigitalInsurance.Conformance.Tests.Reporting;

public class AllureReportingTests
{
    [Test]
    public void Attach_adds_one_listener_per_test_thread_and_redacts_step_output()
    {
        var events = new RuntimePluginEvents();
        AllureReporting.Attach(events);
        var container = new ObjectContainer();
        container.RegisterTypeAs<TestThreadExecutionEventPublisher, ITestThreadExecutionEventPublisher>();

        events.RaiseCustomizeTestThreadDependencies(container);

        var publisher = container.Resolve<ITestThreadExecutionEventPublisher>();
        Assert.That(AllureReporting.AttachTo(publisher), Is.False, "already attached by the plugin event");
        container.RegisterInstanceAs<ITraceListener>(new NullListener());
        container.RegisterInstanceAs(DispatchProxy.Create<IReqnrollAttachmentHandler, NothingProxy>());
        container.RegisterInstanceAs(DispatchProxy.Create<IContextManager, NothingProxy>());
        Assert.That(container.Resolve<IReqnrollOutputHelper>(), Is.InstanceOf<RedactingOutputHelper>());
    }

    [Test]
    public void The_fallback_hook_attaches_only_where_nothing_attached_yet()
    {
        var publisher = new TestThreadExecutionEventPublisher();

        AllureReportingHooks.AttachAllureReporting(publisher);

        Assert.That(AllureReporting.AttachTo(publisher), Is.False);
        Assert.That(AllureReporting.AttachTo(new TestThreadExecutionEventPublisher()), Is.True);
    }

    [Test]
    public void Reqnroll_report_files_are_found_from_reqnroll_json_next_to_the_harness()
    {
        var outputFolder = Path.GetDirectoryName(typeof(AllureReporting).Assembly.Location)!;
        Assert.That(AllureReporting.ReqnrollReportFiles(), Does.Contain(Path.Combine(outputFolder, "reqnroll_report.html"))
            .And.Contain(Path.Combine(outputFolder, "reqnroll_report.ndjson")));
    }

    public class NothingProxy : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => null;
    }

    private sealed class NullListener : ITraceListener
    {
        public void WriteTestOutput(string message) { }
        public void WriteToolOutput(string message) { }
    }
}
