using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SmtpServer;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace DigitalInsurance.Conformance.Tests.Mail;

/// <summary>
/// The MTA in front of Dovecot for the tests: accepts mail by SMTP on a free loopback port and passes each message
/// on to Dovecot's LMTP service (RFC 2033), answering the SMTP client only once Dovecot has stored it — as Postfix
/// or Exim would, without installing one. A message Dovecot refuses is refused to the sender too.
/// </summary>
internal sealed class SmtpToLmtpRelay : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<int> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _serving = Task.CompletedTask;

    private SmtpToLmtpRelay(IPAddress lmtpHost, int lmtpPort)
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("dic-test-mta")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)))
            .Build();
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => _bound.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new LmtpStore(lmtpHost, lmtpPort));
        _server = new SmtpServer.SmtpServer(options, services);
    }

    public int Port { get; private set; }

    public static async Task<SmtpToLmtpRelay> StartAsync(IPAddress lmtpHost, int lmtpPort)
    {
        var relay = new SmtpToLmtpRelay(lmtpHost, lmtpPort);
        relay._serving = relay._server.StartAsync(relay._stop.Token);
        relay.Port = await relay._bound.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return relay;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _server.Shutdown();
        await Task.WhenAny(_server.ShutdownTask, Task.Delay(TimeSpan.FromSeconds(5)));
        _stop.Dispose();
    }

    private sealed class LmtpStore(IPAddress host, int port) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var from = transaction.From is null || string.IsNullOrEmpty(transaction.From.User) ? "" : $"{transaction.From.User}@{transaction.From.Host}";
            var recipients = transaction.To.Select(m => $"{m.User}@{m.Host}").ToList();
            try
            {
                var refused = await DeliverAsync(from, recipients, buffer.ToArray(), cancellationToken);
                return refused is null ? SmtpResponse.Ok : new SmtpResponse(SmtpReplyCode.MailboxUnavailable, refused);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                return new SmtpResponse(SmtpReplyCode.TransactionFailed, $"LMTP delivery failed: {e.Message}");
            }
        }

        /// <returns>Null when every recipient was delivered; otherwise Dovecot's reply.</returns>
        private async Task<string?> DeliverAsync(string from, IReadOnlyList<string> recipients, byte[] message, CancellationToken cancellationToken)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, cancellationToken);
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);

            async Task<string> ReplyAsync()
            {
                // Multi-line replies continue with "250-"; the last line has a space after the code.
                while (true)
                {
                    var line = await reader.ReadLineAsync(cancellationToken) ?? throw new IOException("LMTP server closed the connection");
                    if (line.Length < 4 || line[3] != '-') return line;
                }
            }
            async Task<string> CommandAsync(string command)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), cancellationToken);
                return await ReplyAsync();
            }

            if (!(await ReplyAsync()).StartsWith('2')) return "LMTP server not ready";
            if (await CommandAsync("LHLO dic-test-mta") is var lhlo && !lhlo.StartsWith('2')) return lhlo;
            if (await CommandAsync($"MAIL FROM:<{from}>") is var mail && !mail.StartsWith('2')) return mail;
            var accepted = 0;
            foreach (var recipient in recipients)
            {
                var reply = await CommandAsync($"RCPT TO:<{recipient}>");
                if (!reply.StartsWith('2')) return reply;
                accepted++;
            }
            if (await CommandAsync("DATA") is var data && !data.StartsWith('3')) return data;
            await stream.WriteAsync(DotStuffed(message), cancellationToken);
            await stream.WriteAsync("\r\n.\r\n"u8.ToArray(), cancellationToken);
            // LMTP answers once per accepted recipient.
            for (var i = 0; i < accepted; i++)
                if (await ReplyAsync() is var stored && !stored.StartsWith('2')) return stored;
            await CommandAsync("QUIT");
            return null;
        }

        /// <summary>The message with CRLF line ends and a leading '.' doubled on every line (RFC 5321 4.5.2), without a final CRLF.</summary>
        private static byte[] DotStuffed(byte[] message)
        {
            var text = Encoding.Latin1.GetString(message).Replace("\r\n", "\n").Replace("\n", "\r\n").TrimEnd('\r', '\n');
            var lines = text.Split("\r\n").Select(l => l.StartsWith('.') ? "." + l : l);
            return Encoding.Latin1.GetBytes(string.Join("\r\n", lines));
        }
    }
}
