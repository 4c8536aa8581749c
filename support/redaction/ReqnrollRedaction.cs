using Reqnroll;
using Reqnroll.BoDi;
using Reqnroll.Infrastructure;
using Reqnroll.Plugins;
using Reqnroll.Tracing;

namespace DigitalInsurance.Conformance.Support.Redaction;

/// <summary>Reqnroll's trace output (step lines, errors, timings), redacted before it reaches console or test output.</summary>
public sealed class RedactingTraceListener(ITraceListener inner) : ITraceListener
{
    public void WriteTestOutput(string message) => inner.WriteTestOutput(Secrets.Redact(message));
    public void WriteToolOutput(string message) => inner.WriteToolOutput(Secrets.Redact(message));
}

/// <summary>
/// What steps write through <see cref="IReqnrollOutputHelper"/>: redacted before Reqnroll turns it into trace output and
/// Cucumber messages (which the html/message formatters write to files).
/// </summary>
public sealed class RedactingOutputHelper(IReqnrollOutputHelper inner) : IReqnrollOutputHelper
{
    public void WriteLine(string message) => inner.WriteLine(Secrets.Redact(message));
    public void WriteLine(string format, params object[] args) => inner.WriteLine(Secrets.Redact(string.Format(format, args)));
    /// <summary>Attachments are files; Reqnroll embeds them as they are, so only files free of secrets may be attached.</summary>
    public void AddAttachment(string filePath) => inner.AddAttachment(filePath);
}

/// <summary>
/// Wires redaction into Reqnroll's per-thread services; called from the harness's runtime plugin. The trace listener is
/// left to whoever registers it (wrap it in <see cref="RedactingTraceListener"/>): a decorator registered here could not
/// know which listener it replaces.
/// </summary>
public static class ReqnrollRedaction
{
    public static void Attach(RuntimePluginEvents runtimePluginEvents)
    {
        Secrets.InstallConsoleRedaction();
        runtimePluginEvents.CustomizeTestThreadDependencies += (_, args) => Decorate(args.ObjectContainer);
    }

    /// <summary>Replaces the test thread's output helper with a redacting one around Reqnroll's own.</summary>
    internal static void Decorate(IObjectContainer testThreadContainer)
    {
        testThreadContainer.RegisterFactoryAs<IReqnrollOutputHelper>(c =>
            new RedactingOutputHelper(new ReqnrollOutputHelper(
                c.Resolve<Reqnroll.Events.ITestThreadExecutionEventPublisher>(),
                c.Resolve<ITraceListener>(),
                c.Resolve<IReqnrollAttachmentHandler>(),
                c.Resolve<IContextManager>())));
    }
}
