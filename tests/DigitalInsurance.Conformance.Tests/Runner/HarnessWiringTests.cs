using DigitalInsurance.Conformance.Support.Redaction;
using DigitalInsurance.Conformance.Support.Runner;
using NUnit.Framework;
using Reqnroll.Tracing;

namespace DigitalInsurance.Conformance.Tests.Runner;

/// <summary>The harness's side of the runner (HarnessWiring.cs): what NUnit and the test output receive is redacted.</summary>
public sealed class HarnessWiringTests
{
    private const string Secret = "runner-wiring-secret-7f3a";

    [OneTimeSetUp]
    public void RegisterTheSecret() => Secrets.Register(Secret, "client secret");

    [Test]
    public void Reqnroll_trace_output_is_redacted_before_it_reaches_the_test_output()
    {
        var written = new RecordingListener();
        var listener = HarnessWiring.TraceListener(written);

        listener.WriteTestOutput($"Given the client secret {Secret}");
        listener.WriteToolOutput($"-> done: Steps.Use(\"{Secret}\")");

        Assert.That(written.Lines, Has.Count.EqualTo(2).And.None.Contain(Secret).And.All.Contain(Secrets.Label("client secret")));
    }

    [Test]
    public void Failures_are_redacted_before_nunit_reports_them()
    {
        var failure = HarnessWiring.Redact(new InvalidOperationException($"token request with {Secret} was refused"));

        Assert.That(failure.Message, Does.Not.Contain(Secret).And.Contain(Secrets.Label("client secret")));
        Assert.That(failure.ToString(), Does.Not.Contain(Secret));
    }

    [Test]
    public void A_failure_without_secrets_is_handed_on_unchanged()
    {
        var failure = new InvalidOperationException("plain");
        Assert.That(HarnessWiring.Redact(failure), Is.SameAs(failure));
    }

    private sealed class RecordingListener : ITraceListener
    {
        public List<string> Lines { get; } = [];
        public void WriteTestOutput(string message) => Lines.Add(message);
        public void WriteToolOutput(string message) => Lines.Add(message);
    }
}
