using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace DigitalInsurance.Conformance.Tests.Mail;

/// <summary>
/// Just enough IMAP4rev1 (plain text, LOGIN, one folder) for MailKit's client to log in, select INBOX, search by
/// recipient, fetch envelopes and bodies, set flags and expunge: a real protocol peer for <c>ImapInbox</c> until a real
/// IMAP server is part of the test setup. Messages can be added while a client is connected.
/// </summary>
internal sealed partial class ScriptedImapServer : IAsyncDisposable
{
    public sealed class StoredMessage
    {
        public required uint Uid { get; init; }
        public required DateTimeOffset InternalDate { get; init; }
        public required byte[] Raw { get; init; }
        public required MimeMessage Parsed { get; init; }
        public HashSet<string> Flags { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<StoredMessage> _messages = [];
    private readonly List<string> _commands = [];
    private int _answeredSearches;
    private uint _nextUid = 1;
    private Task _accepting = Task.CompletedTask;

    public ScriptedImapServer(string user, string password)
    {
        User = user;
        Password = password;
    }

    public string User { get; }
    public string Password { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<StoredMessage> Messages { get { lock (_gate) return _messages.ToList(); } }

    /// <summary>Commands received, without tags and with the password hidden, to show what the client did.</summary>
    public IReadOnlyList<string> Commands { get { lock (_gate) return _commands.ToList(); } }

    /// <summary>UID SEARCH commands whose answer has been sent: a message added after this counts up cannot be in that answer.</summary>
    public int AnsweredSearches { get { lock (_gate) return _answeredSearches; } }

    public ScriptedImapServer Start()
    {
        _listener.Start();
        _accepting = AcceptAsync();
        return this;
    }

    public StoredMessage Add(string to, string subject, string text, DateTimeOffset internalDate)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("no-reply@demo-health-plan.example"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Date = internalDate;
        message.Body = new TextPart("plain") { Text = text };
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        lock (_gate)
        {
            var stored = new StoredMessage { Uid = _nextUid++, InternalDate = internalDate, Raw = buffer.ToArray(), Parsed = message };
            _messages.Add(stored);
            return stored;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _accepting; } catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var announced = 0;
        async Task Send(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));

        await Send("* OK [CAPABILITY IMAP4rev1 UIDPLUS] scripted IMAP server ready");
        try
        {
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var space = line.IndexOf(' ');
                if (space < 0) continue;
                var tag = line[..space];
                var command = line[(space + 1)..];
                var verb = command.Split(' ')[0].ToUpperInvariant();
                lock (_gate) _commands.Add(verb == "LOGIN" ? "LOGIN ***" : command);

                switch (verb)
                {
                    case "CAPABILITY":
                        await Send("* CAPABILITY IMAP4rev1 UIDPLUS");
                        await Send($"{tag} OK CAPABILITY completed");
                        break;
                    case "LOGIN":
                        var credentials = Arguments(command[6..]);
                        await Send(credentials.Count == 2 && credentials[0] == User && credentials[1] == Password
                            ? $"{tag} OK [CAPABILITY IMAP4rev1 UIDPLUS] LOGIN completed"
                            : $"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials");
                        break;
                    case "LIST":
                        if (command.EndsWith("\"\"", StringComparison.Ordinal)) await Send("* LIST (\\Noselect) \"/\" \"\"");
                        else await Send("* LIST (\\HasNoChildren) \"/\" INBOX");
                        await Send($"{tag} OK LIST completed");
                        break;
                    case "SELECT" or "EXAMINE":
                        var visible = Messages;
                        announced = visible.Count;
                        await Send("* FLAGS (\\Seen \\Deleted)");
                        await Send("* OK [PERMANENTFLAGS (\\Seen \\Deleted)] flags");
                        await Send($"* {visible.Count} EXISTS");
                        await Send("* 0 RECENT");
                        await Send("* OK [UIDVALIDITY 1] UIDs valid");
                        uint uidNext;
                        lock (_gate) uidNext = _nextUid;
                        await Send($"* OK [UIDNEXT {uidNext}] next UID");
                        await Send($"{tag} OK [{(verb == "SELECT" ? "READ-WRITE" : "READ-ONLY")}] {verb} completed");
                        break;
                    case "NOOP":
                        var count = Messages.Count;
                        if (count != announced) await Send($"* {count} EXISTS");
                        announced = count;
                        await Send($"{tag} OK NOOP completed");
                        break;
                    case "UID":
                        foreach (var response in Uid(command[4..]))
                        {
                            if (response is byte[] literal) await stream.WriteAsync(literal);
                            else await Send((string)response);
                        }
                        await Send($"{tag} OK UID completed");
                        if (command[4..].StartsWith("SEARCH", StringComparison.OrdinalIgnoreCase)) lock (_gate) _answeredSearches++;
                        break;
                    case "EXPUNGE":
                        foreach (var response in Expunge(_ => true)) await Send(response);
                        announced = Messages.Count;
                        await Send($"{tag} OK EXPUNGE completed");
                        break;
                    case "LOGOUT":
                        await Send("* BYE logging out");
                        await Send($"{tag} OK LOGOUT completed");
                        return;
                    default:
                        await Send($"{tag} OK {verb} ignored");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Response lines (strings) and literal bytes, in wire order.</summary>
    private IEnumerable<object> Uid(string command)
    {
        var verb = command.Split(' ')[0].ToUpperInvariant();
        var rest = command[(verb.Length + 1)..];
        switch (verb)
        {
            case "SEARCH":
                var to = ToCriterion().Match(rest) is { Success: true } m ? (m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["atom"].Value) : null;
                var uids = Messages.Where(x => !x.Flags.Contains("\\Deleted")
                        && (to is null || x.Parsed.To.Mailboxes.Any(a => a.Address.Contains(to, StringComparison.OrdinalIgnoreCase))))
                    .Select(x => x.Uid.ToString(CultureInfo.InvariantCulture));
                return [$"* SEARCH {string.Join(' ', uids)}".TrimEnd()];
            case "FETCH":
                return Fetch(rest);
            case "STORE":
                var store = StoreArguments().Match(rest);
                var set = UidSet(store.Groups["set"].Value);
                foreach (var message in Messages.Where(x => set(x.Uid)))
                    foreach (var flag in store.Groups["flags"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        if (store.Groups["op"].Value == "+") message.Flags.Add(flag); else message.Flags.Remove(flag);
                return [];
            case "EXPUNGE":
                var expungeSet = UidSet(rest.Trim());
                return Expunge(x => expungeSet(x.Uid)).Cast<object>();
            default:
                return [];
        }
    }

    private List<object> Fetch(string rest)
    {
        var space = rest.IndexOf(' ');
        var set = UidSet(rest[..space]);
        var items = rest[(space + 1)..].ToUpperInvariant();
        var lines = new List<object>();
        var all = Messages;
        for (var i = 0; i < all.Count; i++)
        {
            var message = all[i];
            if (!set(message.Uid)) continue;
            var parts = new List<string> { $"UID {message.Uid}" };
            if (items.Contains("INTERNALDATE"))
                parts.Add($"INTERNALDATE \"{message.InternalDate.UtcDateTime.ToString("dd-MMM-yyyy HH:mm:ss", CultureInfo.InvariantCulture)} +0000\"");
            if (items.Contains("FLAGS")) parts.Add($"FLAGS ({string.Join(' ', message.Flags)})");
            if (items.Contains("ENVELOPE")) parts.Add($"ENVELOPE {Envelope(message.Parsed)}");
            if (items.Contains("BODY.PEEK[]") || items.Contains("BODY[]"))
            {
                lines.Add($"* {i + 1} FETCH ({string.Join(' ', parts)} BODY[] {{{message.Raw.Length}}}");
                lines.Add(message.Raw);
                lines.Add(")");
                continue;
            }
            lines.Add($"* {i + 1} FETCH ({string.Join(' ', parts)})");
        }
        return lines;
    }

    private List<string> Expunge(Func<StoredMessage, bool> which)
    {
        var lines = new List<string>();
        lock (_gate)
        {
            for (var i = _messages.Count - 1; i >= 0; i--)
            {
                if (!_messages[i].Flags.Contains("\\Deleted") || !which(_messages[i])) continue;
                _messages.RemoveAt(i);
                lines.Add($"* {i + 1} EXPUNGE");
            }
        }
        return lines;
    }

    private static string Envelope(MimeMessage message)
    {
        static string Quote(string? value) => value is null ? "NIL" : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        static string Addresses(InternetAddressList list) => list.Mailboxes.Any()
            ? "(" + string.Concat(list.Mailboxes.Select(m => $"(NIL NIL {Quote(m.LocalPart)} {Quote(m.Domain)})")) + ")"
            : "NIL";
        var from = Addresses(message.From);
        return $"({Quote(message.Date.ToString("r", CultureInfo.InvariantCulture))} {Quote(message.Subject)} {from} {from} {from} " +
               $"{Addresses(message.To)} {Addresses(message.Cc)} NIL NIL {Quote("<" + (message.MessageId ?? Guid.NewGuid().ToString("N") + "@scripted") + ">")})";
    }

    private static Func<uint, bool> UidSet(string set)
    {
        var ranges = set.Split(',').Select(part =>
        {
            var bounds = part.Split(':');
            uint Parse(string s) => s == "*" ? uint.MaxValue : uint.Parse(s, CultureInfo.InvariantCulture);
            var low = Parse(bounds[0]);
            var high = bounds.Length > 1 ? Parse(bounds[1]) : low;
            return (Low: Math.Min(low, high), High: Math.Max(low, high));
        }).ToList();
        return uid => ranges.Any(r => uid >= r.Low && uid <= r.High);
    }

    private static List<string> Arguments(string text) =>
        ArgumentPattern().Matches(text).Select(m => m.Groups["quoted"].Success ? Regex.Unescape(m.Groups["quoted"].Value) : m.Groups["atom"].Value).ToList();

    [GeneratedRegex(@"""(?<quoted>(?:[^""\\]|\\.)*)""|(?<atom>[^\s""]+)")]
    private static partial Regex ArgumentPattern();

    [GeneratedRegex(@"\bTO\s+(?:""(?<quoted>(?:[^""\\]|\\.)*)""|(?<atom>[^\s()]+))", RegexOptions.IgnoreCase)]
    private static partial Regex ToCriterion();

    [GeneratedRegex(@"^(?<set>\S+)\s+(?<op>[+-])FLAGS(?:\.SILENT)?\s+\((?<flags>[^)]*)\)", RegexOptions.IgnoreCase)]
    private static partial Regex StoreArguments();
}
