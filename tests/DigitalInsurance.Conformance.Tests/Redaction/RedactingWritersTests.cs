using DigitalInsurance.Conformance.Support.Redaction;
using NUnit.Framework;
using Reqnroll.Tracing;

namespace DigitalInsurance.Conformance.Tests.Redaction;

public class RedactingWritersTests
{
    private static string RegisteredToken()
    {
        var token = "tok-" + Guid.NewGuid().ToString("N");
        Secrets.Register(token, "access token");
        return token;
    }

    [Test]
    public void A_secret_written_in_pieces_is_redacted_once_the_line_ends()
    {
        var token = RegisteredToken();
        var inner = new StringWriter();
        using var writer = new RedactingTextWriter(inner);

        writer.Write("Authorization: Bearer ");
        writer.Write(token[..10]);
        writer.Write(token[10..]);
        Assert.That(inner.ToString(), Is.Empty, "nothing is passed on before the line ends");
        writer.WriteLine();
        writer.Write('x');

        Assert.That(inner.ToString(), Is.EqualTo("Authorization: Bearer [redacted access token]" + writer.NewLine));
        writer.Flush();
        Assert.That(inner.ToString(), Does.EndWith("x"), "flush passes on the unfinished line");
    }

    [Test]
    public void Formatted_writes_are_redacted_too()
    {
        var token = RegisteredToken();
        var inner = new StringWriter();
        using var writer = new RedactingTextWriter(inner);

        writer.WriteLine("token {0} for {1}", token, "Patient/1");
        writer.Write($"{token}\nnext");
        writer.Flush();

        Assert.That(inner.ToString(), Is.EqualTo($"token [redacted access token] for Patient/1{writer.NewLine}[redacted access token]\nnext"));
    }

    [Test]
    public void Lines_written_by_parallel_threads_stay_whole()
    {
        var inner = new StringWriter();
        using var writer = new RedactingTextWriter(inner);

        Parallel.For(0, 8, thread =>
        {
            for (var i = 0; i < 50; i++)
            {
                writer.Write($"thread {thread} ");
                writer.Write($"line {i}");
                writer.WriteLine();
            }
        });

        var lines = inner.ToString().Split(writer.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(400));
        Assert.That(lines, Is.All.Match(@"^thread \d line \d+$"));
    }

    [Test]
    public void Console_output_is_redacted_before_nunit_captures_it()
    {
        var token = RegisteredToken();
        Secrets.InstallConsoleRedaction();
        Secrets.InstallConsoleRedaction();

        Console.WriteLine($"exchanged code for {token}");
        Console.Out.Flush();

        var captured = NUnit.Framework.Internal.TestExecutionContext.CurrentContext.CurrentResult.Output;
        Assert.That(captured, Does.Contain("exchanged code for [redacted access token]"));
        Assert.That(captured, Does.Not.Contain(token));
    }

    [Test]
    public void Reqnroll_trace_and_step_output_are_redacted_before_they_go_on()
    {
        var token = RegisteredToken();
        var trace = new RecordingTraceListener();
        var listener = new RedactingTraceListener(trace);

        listener.WriteTestOutput($"Given the token {token}");
        listener.WriteToolOutput($"-> error: {token} rejected");

        Assert.That(trace.Lines, Is.EqualTo(new[] { "Given the token [redacted access token]", "-> error: [redacted access token] rejected" }));
    }

    private sealed class RecordingTraceListener : ITraceListener
    {
        public List<string> Lines { get; } = [];
        public void WriteTestOutput(string message) => Lines.Add(message);
        public void WriteToolOutput(string message) => Lines.Add(message);
    }
}
