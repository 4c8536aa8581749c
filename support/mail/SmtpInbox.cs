using System.Buffers;
using System.Net;
using DigitalInsurance.Conformance.Support.Redaction;
using MimeKit;
using SmtpServer;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace DigitalInsurance.Conformance.Support.Mail;

/// <summary>
/// The harness's own SMTP listener on loopback (run-scoped): the embedded sandbox, or any payer test system pointed at
/// it, delivers verification emails here. Keeps every message in memory for the run.
/// </summary>
public sealed class SmtpInbox : IInbox, IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<ReceivedMail> _received = [];
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _clock;
    private readonly TaskCompletionSource<int> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _arrival = NewSignal();
    private Task _serving = Task.CompletedTask;

    private SmtpInbox(int port, TimeProvider clock)
    {
        _clock = clock;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("dic-conformance-harness")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => _bound.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new Store(this));
        _server = new SmtpServer.SmtpServer(options, services);
    }

    public string Host => "127.0.0.1";

    /// <summary>The bound port (the free one picked when asked for port 0): give it to the sandbox as its SMTP port.</summary>
    public int Port { get; private set; }

    public string Description => $"the harness's SMTP listener on {Host}:{Port}";

    public IReadOnlyList<ReceivedMail> Received
    {
        get { lock (_gate) return _received.ToList(); }
    }

    /// <param name="port">Loopback port to listen on; 0 picks a free one.</param>
    public static async Task<SmtpInbox> StartAsync(int port = 0, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        if (port is < 0 or > 65535)
            throw new MailboxException($"The SMTP listen port must be 0 (any free port) or 1-65535, not {port}: fix smtpListenPort (DIC_SMTP_LISTEN_PORT).");
        var inbox = new SmtpInbox(port, clock ?? TimeProvider.System);
        inbox._serving = inbox._server.StartAsync(inbox._stop.Token);
        var started = await Task.WhenAny(inbox._bound.Task, inbox._serving, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken));
        if (started != inbox._bound.Task)
        {
            var reason = inbox._serving.Exception?.GetBaseException().Message ?? "it did not start within 10 s";
            await inbox.DisposeAsync();
            throw new MailboxException($"The harness could not listen for SMTP on 127.0.0.1:{port}: {reason}. Choose another smtpListenPort (DIC_SMTP_LISTEN_PORT; 0 picks a free one).");
        }
        inbox.Port = inbox._bound.Task.Result;
        return inbox;
    }

    public async Task<ReceivedMail> WaitForMailAsync(MailQuery query, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Secrets.Register(query.Recipient, "member email");
        using var deadline = new CancellationTokenSource(timeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        while (true)
        {
            Task arrival;
            lock (_gate)
            {
                var match = _received.Where(query.Matches).MaxBy(m => m.ReceivedAt);
                if (match is not null) return match;
                arrival = _arrival.Task;
            }
            try
            {
                await arrival.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                int others;
                lock (_gate) others = _received.Count(m => m.ReceivedAt >= query.ReceivedAfter);
                throw new MailboxException($"{query.Describe(this, timeout)}; {others} other message(s) arrived in that time.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _server.Shutdown();
        try
        {
            await Task.WhenAny(_server.ShutdownTask, Task.Delay(TimeSpan.FromSeconds(5)));
            await Task.WhenAny(_serving, Task.Delay(TimeSpan.FromSeconds(1)));
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private void Deliver(ReceivedMail mail)
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            _received.Add(mail);
            previous = _arrival;
            _arrival = NewSignal();
        }
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Store(SmtpInbox inbox) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            MimeMessage message;
            try
            {
                using var stream = new MemoryStream(buffer.ToArray());
                message = MimeMessage.Load(stream, cancellationToken);
            }
            catch (FormatException)
            {
                return Task.FromResult(new SmtpResponse(SmtpReplyCode.TransactionFailed, "message is not valid MIME"));
            }
            var envelope = transaction.To.Select(m => $"{m.User}@{m.Host}");
            inbox.Deliver(ReceivedMail.FromMessage(message, envelope, inbox._clock.GetUtcNow()));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
