using System.Net.Sockets;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Redaction;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace DigitalInsurance.Conformance.Support.Mail;

public enum ImapAfterRead { Leave, MarkRead, Delete }

public sealed record ImapInboxOptions
{
    public required string Host { get; init; }
    public int Port { get; init; } = 993;
    /// <summary>TLS from the first byte (993), or STARTTLS on port 143; false: plain text (test servers only).</summary>
    public bool UseTls { get; init; } = true;
    public required string User { get; init; }
    public required string Password { get; init; }
    public string Folder { get; init; } = "INBOX";
    public ImapAfterRead AfterRead { get; init; } = ImapAfterRead.MarkRead;
    /// <summary>Accept a certificate that does not validate (a self-signed test server); never for a real mail provider.</summary>
    public bool AcceptInvalidCertificate { get; init; }
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// INTERNALDATE is the server's clock, ReceivedAfter the harness's: messages this much older still count. The newest
    /// match wins, so the tolerance only matters when the right message is the only candidate.
    /// </summary>
    public TimeSpan ClockSkewTolerance { get; init; } = TimeSpan.FromMinutes(2);

    public static ImapInboxOptions FromSettings(MailSettings mail)
    {
        string Required(string? value, string name) => string.IsNullOrWhiteSpace(value)
            ? throw new MailboxException($"The IMAP mailbox needs {name}: set it, or use the SMTP mailbox (mailbox=smtp).")
            : value;
        return new ImapInboxOptions
        {
            Host = Required(mail.ImapHost, "imapHost (DIC_IMAP_HOST)"),
            Port = mail.ImapPort,
            UseTls = mail.ImapUseTls,
            User = Required(mail.ImapUser, "imapUser (DIC_IMAP_USER)"),
            Password = Required(mail.ImapPassword, "the password in DIC_IMAP_PASSWORD"),
            AfterRead = mail.ImapDeleteAfterRead ? ImapAfterRead.Delete : ImapAfterRead.MarkRead,
            AcceptInvalidCertificate = mail.ImapAcceptInvalidCertificate,
        };
    }
}

/// <summary>
/// A real mailbox read over IMAP (MailKit), for payers whose test system sends real email. Polls the folder until a
/// message to the recipient arrives, within a bounded wait. One connection, opened on first use and reopened if lost.
/// </summary>
public sealed class ImapInbox : IInbox, IAsyncDisposable
{
    private readonly ImapInboxOptions _options;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ImapClient? _client;
    private IMailFolder? _folder;

    public ImapInbox(ImapInboxOptions options, TimeProvider? clock = null)
    {
        _options = options;
        _clock = clock ?? TimeProvider.System;
        Secrets.Register(options.Password, "IMAP password");
    }

    public string Description => $"the IMAP mailbox {_options.Folder} of {Secrets.Redact(_options.User)} at {_options.Host}:{_options.Port}";

    public async Task<ReceivedMail> WaitForMailAsync(MailQuery query, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Secrets.Register(query.Recipient, "member email");
        var deadline = _clock.GetUtcNow() + timeout;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var folder = await OpenFolderAsync(cancellationToken);
                try
                {
                    var found = await FindNewestAsync(folder, query, cancellationToken);
                    if (found is not null) return await ReadAsync(folder, found, cancellationToken);
                }
                catch (Exception e) when (e is IOException or SocketException or ImapProtocolException or ServiceNotConnectedException)
                {
                    // The connection dropped between polls (servers close idle sessions): reconnect on the next poll.
                    _folder = null;
                }

                var remaining = deadline - _clock.GetUtcNow();
                if (remaining <= TimeSpan.Zero) throw new MailboxException($"{query.Describe(this, timeout)}.");
                await Task.Delay(remaining < _options.PollInterval ? remaining : _options.PollInterval, _clock, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Connects, logs in and opens the folder, as the first wait would: the preflight's mailbox check. Throws
    /// <see cref="MailboxException"/> saying what to fix.
    /// </summary>
    public async Task CheckAccessAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await OpenFolderAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IMailFolder> OpenFolderAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true, IsAuthenticated: true } && _folder is { IsOpen: true })
        {
            await _client.NoOpAsync(cancellationToken); // lets the server announce messages that arrived since the last poll
            return _folder;
        }

        _client?.Dispose();
        _client = new ImapClient { Timeout = 30_000 };
        if (_options.AcceptInvalidCertificate) _client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        var where = $"{_options.Host}:{_options.Port}";
        try
        {
            var security = !_options.UseTls ? SecureSocketOptions.None
                : _options.Port == 143 ? SecureSocketOptions.StartTls
                : SecureSocketOptions.SslOnConnect;
            await _client.ConnectAsync(_options.Host, _options.Port, security, cancellationToken);
        }
        catch (SslHandshakeException e) when (e.ServerCertificate is not null)
        {
            throw new MailboxException($"The IMAP server {where} presented a TLS certificate this machine does not trust. Install the certificate's CA, or for a self-signed test server set imapAcceptInvalidCertificate (DIC_IMAP_ACCEPT_INVALID_CERTIFICATE=true).", e);
        }
        catch (SslHandshakeException e)
        {
            throw new MailboxException($"The TLS handshake with the IMAP server {where} failed ({FirstLine(e.Message)}): is imapPort a TLS port? Check imapPort and imapUseTls (DIC_IMAP_PORT, DIC_IMAP_USE_TLS).", e);
        }
        catch (Exception e) when (e is SocketException or IOException or ImapProtocolException)
        {
            throw new MailboxException($"Could not connect to the IMAP server {where} (TLS {(_options.UseTls ? "on" : "off")}): {e.Message}. Check imapHost, imapPort and imapUseTls (DIC_IMAP_HOST, DIC_IMAP_PORT, DIC_IMAP_USE_TLS).", e);
        }
        try
        {
            await _client.AuthenticateAsync(_options.User, _options.Password, cancellationToken);
        }
        catch (AuthenticationException e)
        {
            throw new MailboxException($"The IMAP server {where} refused the login of {Secrets.Redact(_options.User)}: check imapUser (DIC_IMAP_USER) and DIC_IMAP_PASSWORD.", e);
        }
        IMailFolder folder;
        try
        {
            folder = await _client.GetFolderAsync(_options.Folder, cancellationToken);
        }
        catch (FolderNotFoundException e)
        {
            throw new MailboxException($"The IMAP mailbox has no folder '{_options.Folder}'.", e);
        }
        await folder.OpenAsync(_options.AfterRead == ImapAfterRead.Leave ? FolderAccess.ReadOnly : FolderAccess.ReadWrite, cancellationToken);
        return _folder = folder;
    }

    private async Task<ImapCandidate?> FindNewestAsync(IMailFolder folder, MailQuery query, CancellationToken cancellationToken)
    {
        // SINCE compares dates in the server's time zone: start a day early and filter exactly on INTERNALDATE below.
        var since = (query.ReceivedAfter - _options.ClockSkewTolerance).UtcDateTime.Date.AddDays(-1);
        var uids = await folder.SearchAsync(SearchQuery.DeliveredAfter(since).And(SearchQuery.ToContains(query.Recipient)), cancellationToken);
        if (uids.Count == 0) return null;

        var summaries = await folder.FetchAsync(uids, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.InternalDate), cancellationToken);
        var candidates = summaries.Select(s => new ImapCandidate(
            s.UniqueId,
            s.InternalDate ?? DateTimeOffset.MinValue,
            (s.Envelope?.To.Mailboxes ?? []).Concat(s.Envelope?.Cc.Mailboxes ?? []).Select(m => m.Address).ToList(),
            s.Envelope?.Subject ?? ""));
        return PickNewest(candidates, query, _options.ClockSkewTolerance);
    }

    internal sealed record ImapCandidate(UniqueId Uid, DateTimeOffset InternalDate, IReadOnlyList<string> To, string Subject);

    /// <summary>The newest message addressed to exactly the recipient (ToContains is a substring search), received in time.</summary>
    internal static ImapCandidate? PickNewest(IEnumerable<ImapCandidate> candidates, MailQuery query, TimeSpan clockSkewTolerance) =>
        candidates
            .Where(c => c.InternalDate >= query.ReceivedAfter - clockSkewTolerance && c.To.Any(query.SameAddress) && query.SubjectMatches(c.Subject))
            .OrderByDescending(c => c.InternalDate)
            .ThenByDescending(c => c.Uid.Id)
            .FirstOrDefault();

    private async Task<ReceivedMail> ReadAsync(IMailFolder folder, ImapCandidate found, CancellationToken cancellationToken)
    {
        var uid = found.Uid;
        var message = await folder.GetMessageAsync(uid, cancellationToken);
        switch (_options.AfterRead)
        {
            case ImapAfterRead.MarkRead:
                await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Silent = true }, cancellationToken);
                break;
            case ImapAfterRead.Delete:
                await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true }, cancellationToken);
                if (_client!.Capabilities.HasFlag(ImapCapabilities.UidPlus)) await folder.ExpungeAsync([uid], cancellationToken);
                else await folder.ExpungeAsync(cancellationToken);
                break;
        }
        return ReceivedMail.FromMessage(message, found.To, found.InternalDate);
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    public async ValueTask DisposeAsync()
    {
        if (_client is { IsConnected: true })
        {
            try { await _client.DisconnectAsync(quit: true); }
            catch (Exception e) when (e is IOException or ImapProtocolException or SocketException) { }
        }
        _client?.Dispose();
        _gate.Dispose();
    }
}
