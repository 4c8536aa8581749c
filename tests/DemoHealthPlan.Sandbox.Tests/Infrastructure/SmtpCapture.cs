using System.Buffers;
using System.Net;
using System.Text.RegularExpressions;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace DemoHealthPlan.Sandbox.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on a free loopback port that keeps every message it receives, so tests read the verification
/// codes the sandbox emails exactly as a member would.
/// </summary>
public sealed partial class SmtpCapture : IAsyncDisposable
{
    private readonly List<MimeMessage> _messages = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly CancellationTokenSource _stop = new();
    private SmtpServer.SmtpServer? _server;
    private Task? _running;

    private SmtpCapture()
    {
    }

    public string Host => "127.0.0.1";
    public int Port { get; private set; }

    public static async Task<SmtpCapture> StartAsync()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp-capture.test")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)))
            .Build();
        var bound = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => bound.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);

        var capture = new SmtpCapture();
        var services = new ServiceProvider();
        services.Add(new CapturingStore(capture.Add));
        services.Add(listeners);
        capture._server = new SmtpServer.SmtpServer(options, services);
        capture._running = capture._server.StartAsync(capture._stop.Token);
        capture.Port = await bound.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return capture;
    }

    public IReadOnlyList<MimeMessage> Messages
    {
        get { lock (_messages) return _messages.ToList(); }
    }

    /// <summary>The latest message to <paramref name="recipient"/> received after <paramref name="skip"/> earlier ones.</summary>
    public async Task<MimeMessage> WaitForMessageAsync(string recipient, int skip = 0, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var match = MessagesTo(recipient).Skip(skip).FirstOrDefault();
            if (match is not null) return match;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"No email to {recipient} arrived at the SMTP capture on port {Port}.");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public IReadOnlyList<MimeMessage> MessagesTo(string recipient) =>
        Messages.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>The 6-digit code in the newest verification email to <paramref name="recipient"/> (waiting for the n-th one).</summary>
    public async Task<string> WaitForVerificationCodeAsync(string recipient, int previousMessages = 0)
    {
        var message = await WaitForMessageAsync(recipient, previousMessages);
        var match = SixDigits().Match(message.TextBody ?? "");
        return match.Success ? match.Value : throw new InvalidOperationException($"The email to {recipient} has no 6-digit code.");
    }

    private void Add(MimeMessage message)
    {
        lock (_messages) _messages.Add(message);
        _arrived.Release();
    }

    public async ValueTask DisposeAsync()
    {
        _server?.Shutdown();
        _stop.Cancel();
        try
        {
            if (_running is not null) await _running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }
        _stop.Dispose();
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();

    private sealed class CapturingStore(Action<MimeMessage> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            received(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
