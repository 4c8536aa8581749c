using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Mail;
using DigitalInsurance.Conformance.Support.Validation;

namespace DigitalInsurance.Conformance.Support.Preflight;

/// <summary>How long each preflight probe may take: short, so an unreachable payer fails in seconds, not in timeouts.</summary>
public sealed record PreflightTimeouts
{
    public TimeSpan Dns { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Connect { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Http { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan MailboxLogin { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// How the harness reaches one server: its URL, and for https the TLS version it negotiated directly (null through a proxy)
/// or why the handshake failed, or why no connection was made to try one. A fact for <c>TransportRules</c>, which judges it.
/// </summary>
public sealed record TransportObservation(string Role, string Setting, Uri Url, SslProtocols? Negotiated, string? HandshakeFailure, Uri? Proxy,
    string? Unreachable = null)
{
    /// <summary>"TLS 1.2" rather than the enum's "Tls12".</summary>
    public static string Name(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLS 1.3",
        SslProtocols.Tls12 => "TLS 1.2",
#pragma warning disable SYSLIB0039 // named only to report them
        SslProtocols.Tls11 => "TLS 1.1",
        SslProtocols.Tls => "TLS 1.0",
#pragma warning restore SYSLIB0039
        _ => protocol.ToString(),
    };

    /// <summary>One line for the preflight evidence.</summary>
    public string Line => Url.Scheme == Uri.UriSchemeHttp
        ? $"{Role} ({Setting}): {Url.GetLeftPart(UriPartial.Authority)} plain http"
        : Negotiated is { } negotiated ? $"{Role} ({Setting}): {Url.Authority} negotiated {Name(negotiated)}"
        : HandshakeFailure is not null ? $"{Role} ({Setting}): TLS handshake with {Url.Authority} failed: {HandshakeFailure}"
        : Unreachable is not null ? $"{Role} ({Setting}): {Url.Authority} could not be reached: {Unreachable}"
        : $"{Role} ({Setting}): {Url.Authority} through the proxy {Proxy}, TLS version not observed";
}

/// <summary>
/// The checks a run does before its scenarios: the local setup, the payer's servers (DNS, TCP, HTTP), SMART discovery
/// and the mailbox login. Each returns a report whose failed findings say what to fix; none throws for a problem it found.
/// </summary>
public static class PreflightChecks
{
    /// <summary>A server the harness talks to, with the setting that names it.</summary>
    public sealed record ServerProbe(string Role, Uri Url, string Setting, bool RequireSuccess);

    /// <summary>The run's settings, page model, browser and FHIR packages: everything that needs no network.</summary>
    public static async Task<PreflightReport> CheckLocalSetupAsync(HarnessSettings settings, string pageModelName, string browserVersion,
        Task<ConformanceValidator> validator)
    {
        var findings = new List<PreflightFinding>
        {
            PreflightFinding.Ok("settings", $"target {(settings.Target == TargetKind.Sandbox ? "sandbox" : "external")}, authorization server {settings.AuthBaseUrl}, FHIR server {settings.FhirBaseUrl}, mailbox {settings.Mail.Kind.ToString().ToLowerInvariant()}"),
            PreflightFinding.Ok("enrollment page model", pageModelName),
            PreflightFinding.Ok("browser", browserVersion),
        };
        try
        {
            var loaded = await validator;
            findings.Add(PreflightFinding.Ok("FHIR packages", string.Join(", ", loaded.LoadedPackages.Select(p => $"{p.Name}#{p.Version}"))));
        }
        catch (ValidationSetupException e)
        {
            findings.Add(new PreflightFinding("FHIR packages", e.Message, ""));
        }
        return new PreflightReport("settings and local setup", findings);
    }

    /// <summary>
    /// For each server: its host resolves, its port accepts a TCP connection (through the proxy when one applies) and it
    /// answers HTTP. A server whose host does not resolve or connect gets no HTTP probe: the first failure is the one to fix.
    /// </summary>
    public static async Task<PreflightReport> CheckServersAsync(IReadOnlyList<ServerProbe> servers, HttpClient http, PreflightTimeouts timeouts,
        CancellationToken cancellationToken = default)
    {
        var findings = new List<PreflightFinding>();
        var reachable = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var server in servers)
        {
            var (host, port, via) = ConnectionTarget(server.Url);
            var key = $"{host}:{port}";
            if (!reachable.TryGetValue(key, out var ok))
            {
                ok = await CheckConnectionAsync(server, host, port, via, findings, timeouts, cancellationToken);
                reachable[key] = ok;
            }
            if (ok) findings.Add(await CheckHttpAsync(server, http, timeouts.Http, cancellationToken));
        }
        return new PreflightReport("authorization and FHIR servers", findings);
    }

    /// <summary>
    /// [fhirBaseUrl]/.well-known/smart-configuration answers with an authorization_endpoint on the configured
    /// authorization server and the configured token endpoint.
    /// </summary>
    public static async Task<PreflightReport> CheckSmartDiscoveryAsync(Uri fhirBaseUrl, Uri authorizeEndpoint, Uri tokenEndpoint, HttpClient http,
        PreflightTimeouts timeouts, CancellationToken cancellationToken = default)
    {
        const string check = SmartDiscovery;
        var (json, url, failure) = await FetchSmartConfigurationAsync(fhirBaseUrl, http, timeouts, cancellationToken);
        if (failure is not null) return new PreflightReport(check, [failure]);
        var findings = new List<PreflightFinding>();

        Uri? Endpoint(string name) => EndpointIn(json!.Value, name);
        var advertisedAuthorize = Endpoint("authorization_endpoint");
        var advertisedToken = Endpoint("token_endpoint");
        findings.Add(PreflightFinding.Ok(check, $"{url} answered"));

        if (advertisedAuthorize is null)
            findings.Add(PreflightFinding.Problem("SMART authorization_endpoint", "the SMART configuration names no authorization_endpoint.", "the payer's discovery document is incomplete: report it to the payer."));
        else if (!SameOrigin(advertisedAuthorize, authorizeEndpoint))
            findings.Add(PreflightFinding.Problem("SMART authorization_endpoint", $"the payer advertises {advertisedAuthorize}, but the harness would open {authorizeEndpoint}.",
                $"set authBaseUrl (DIC_AUTH_BASE_URL) to {advertisedAuthorize.GetLeftPart(UriPartial.Authority)} and authorizePath to the payer's authorization path."));
        else
            findings.Add(PreflightFinding.Ok("SMART authorization_endpoint", $"{advertisedAuthorize} is on the configured authorization server"));

        if (advertisedToken is null)
            findings.Add(PreflightFinding.Problem("SMART token_endpoint", "the SMART configuration names no token_endpoint.", "the payer's discovery document is incomplete: report it to the payer."));
        else if (!SameEndpoint(advertisedToken, tokenEndpoint))
            findings.Add(PreflightFinding.Problem("SMART token_endpoint", $"the payer advertises {advertisedToken}, but the harness would post to {tokenEndpoint}.",
                "set authBaseUrl and tokenPath (DIC_AUTH_BASE_URL, DIC_TOKEN_PATH) so that they name the advertised token endpoint."));
        else
            findings.Add(PreflightFinding.Ok("SMART token_endpoint", $"{advertisedToken} is the configured token endpoint"));
        return new PreflightReport(check, findings);
    }

    /// <summary>
    /// The jwks_uri [fhirBaseUrl]/.well-known/smart-configuration names, where the app fetches the keys that sign
    /// id_tokens; null when the document cannot be read or names none (the discovery scenarios judge that).
    /// </summary>
    public static async Task<Uri?> AdvertisedJwksUriAsync(Uri fhirBaseUrl, HttpClient http, PreflightTimeouts timeouts, CancellationToken cancellationToken = default)
    {
        var (json, _, failure) = await FetchSmartConfigurationAsync(fhirBaseUrl, http, timeouts, cancellationToken);
        return failure is null ? EndpointIn(json!.Value, "jwks_uri") : null;
    }

    private const string SmartDiscovery = "SMART discovery";

    /// <summary>[fhirBaseUrl]/.well-known/smart-configuration as a JSON object, or the finding that says why it is not one.</summary>
    private static async Task<(JsonElement? Json, Uri Url, PreflightFinding? Failure)> FetchSmartConfigurationAsync(Uri fhirBaseUrl, HttpClient http,
        PreflightTimeouts timeouts, CancellationToken cancellationToken)
    {
        var url = new Uri(WithTrailingSlash(fhirBaseUrl), ".well-known/smart-configuration");
        var (body, failure) = await GetAsync(SmartDiscovery, url, "fhirBaseUrl", http, timeouts.Http, requireSuccess: true, cancellationToken);
        if (failure is not null) return (null, url, failure);
        try
        {
            var json = JsonDocument.Parse(body!).RootElement;
            if (json.ValueKind != JsonValueKind.Object) throw new JsonException("not a JSON object");
            return (json, url, null);
        }
        catch (JsonException e)
        {
            return (null, url, PreflightFinding.Problem(SmartDiscovery, $"GET {url} did not answer a JSON object ({e.Message}).",
                "check fhirBaseUrl (DIC_FHIR_BASE_URL): it must be the FHIR base below which the payer serves its SMART configuration."));
        }
    }

    private static Uri? EndpointIn(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>
    /// For each https server, the TLS version a direct handshake negotiates (the operating system's choice, as the
    /// harness's HTTP client makes it), validating the certificate as that client does unless <paramref name="certificateValidation"/>
    /// says otherwise (tests with a self-signed certificate); plain http servers as they are.
    /// </summary>
    public static async Task<IReadOnlyList<TransportObservation>> ObserveTransportAsync(IReadOnlyList<ServerProbe> servers, PreflightTimeouts timeouts,
        RemoteCertificateValidationCallback? certificateValidation = null, CancellationToken cancellationToken = default)
    {
        var observations = new List<TransportObservation>();
        foreach (var server in servers)
        {
            if (server.Url.Scheme != Uri.UriSchemeHttps)
            {
                observations.Add(new TransportObservation(server.Role, server.Setting, server.Url, null, null, null));
                continue;
            }
            var (_, _, proxy) = ConnectionTarget(server.Url);
            if (proxy is not null)
            {
                observations.Add(new TransportObservation(server.Role, server.Setting, server.Url, null, null, proxy));
                continue;
            }
            var (negotiated, failure, unreachable) = await HandshakeAsync(server.Url, timeouts.Connect + timeouts.Http, certificateValidation, cancellationToken);
            observations.Add(new TransportObservation(server.Role, server.Setting, server.Url, negotiated, failure, null, unreachable));
        }
        return observations;
    }

    /// <summary>The negotiated version, or why the handshake failed, or why no connection was made (a host that does not
    /// resolve or accept: the servers preflight reports that, and no TLS was tried).</summary>
    private static async Task<(SslProtocols? Negotiated, string? Failure, string? Unreachable)> HandshakeAsync(Uri url, TimeSpan timeout,
        RemoteCertificateValidationCallback? certificateValidation, CancellationToken cancellationToken)
    {
        using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        handshakeTimeout.CancelAfter(timeout);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(url.IdnHost.Trim('[', ']'), url.Port, handshakeTimeout.Token);
        }
        catch (SocketException e)
        {
            return (null, null, e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, null, $"no connection within {timeout.TotalSeconds:0} s");
        }
        try
        {
            await using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = url.IdnHost, RemoteCertificateValidationCallback = certificateValidation }, handshakeTimeout.Token);
            return (tls.SslProtocol, null, null);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException)
        {
            return (null, e.Message, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"no TLS handshake within {timeout.TotalSeconds:0} s", null);
        }
    }

    /// <summary>An IMAP mailbox accepts the login and opens its folder; the harness's own SMTP listener is listening.</summary>
    public static async Task<PreflightReport> CheckMailboxAsync(IInbox inbox, PreflightTimeouts timeouts, CancellationToken cancellationToken = default)
    {
        const string check = "mailbox login";
        if (inbox is not ImapInbox imap)
            return new PreflightReport(check, [PreflightFinding.Ok("mailbox", $"{inbox.Description} is listening (nothing to log in to: the target delivers there)")]);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(timeouts.MailboxLogin);
        try
        {
            await imap.CheckAccessAsync(timeout.Token);
            return new PreflightReport(check, [PreflightFinding.Ok(check, $"logged in to {inbox.Description}")]);
        }
        catch (MailboxException e)
        {
            return new PreflightReport(check, [new PreflightFinding(check, e.Message, "")]);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PreflightReport(check, [PreflightFinding.Problem(check, $"{inbox.Description} did not let the harness log in within {timeouts.MailboxLogin.TotalSeconds:0} s.",
                "check imapHost, imapPort and imapUseTls (DIC_IMAP_HOST, DIC_IMAP_PORT, DIC_IMAP_USE_TLS) and that this machine may reach the mail server.")]);
        }
    }

    private static async Task<bool> CheckConnectionAsync(ServerProbe server, string host, int port, Uri? proxy, List<PreflightFinding> findings,
        PreflightTimeouts timeouts, CancellationToken cancellationToken)
    {
        var setting = Describe(server.Setting);
        var through = proxy is null ? "" : $" (the proxy {proxy.GetLeftPart(UriPartial.Authority)} for {server.Url.Host})";
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var dnsTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            dnsTimeout.CancelAfter(timeouts.Dns);
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, dnsTimeout.Token);
                findings.Add(PreflightFinding.Ok($"DNS {host}{through}", $"resolves to {string.Join(", ", addresses.Take(3).Select(a => a.ToString()))}"));
            }
            catch (SocketException e)
            {
                findings.Add(PreflightFinding.Problem($"DNS {host}{through}", $"the {server.Role}'s host does not resolve ({e.SocketErrorCode}: {e.Message}).",
                    proxy is null
                        ? $"check {setting}; if the host name is right, this machine cannot resolve it: check its DNS, VPN or network access."
                        : "check the proxy settings (HTTPS_PROXY, HTTP_PROXY)."));
                return false;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                findings.Add(PreflightFinding.Problem($"DNS {host}{through}", $"no DNS answer for the {server.Role}'s host within {timeouts.Dns.TotalSeconds:0} s.",
                    "this machine's DNS does not answer: check its network access, VPN or proxy settings."));
                return false;
            }
        }

        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(timeouts.Connect);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(addresses, port, connectTimeout.Token);
            findings.Add(PreflightFinding.Ok($"TCP {host}:{port}{through}", "accepts connections"));
            return true;
        }
        catch (SocketException e)
        {
            findings.Add(PreflightFinding.Problem($"TCP {host}:{port}{through}", $"the {server.Role} refused or dropped the connection ({e.SocketErrorCode}).",
                $"check the host and port in {setting}; a firewall may block this machine."));
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            findings.Add(PreflightFinding.Problem($"TCP {host}:{port}{through}", $"the {server.Role} did not accept a connection within {timeouts.Connect.TotalSeconds:0} s.",
                $"check the port in {setting}; a firewall may silently drop this machine's connections (a proxy? set HTTPS_PROXY)."));
            return false;
        }
    }

    private static async Task<PreflightFinding> CheckHttpAsync(ServerProbe server, HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (_, failure) = await GetAsync($"HTTP {server.Role}", server.Url, server.Setting, http, timeout, server.RequireSuccess, cancellationToken);
        return failure ?? PreflightFinding.Ok($"HTTP {server.Role}", $"GET {server.Url} answered");
    }

    /// <returns>The body, or the finding that says why there is none.</returns>
    private static async Task<(string? Body, PreflightFinding? Failure)> GetAsync(string check, Uri url, string setting, HttpClient http, TimeSpan timeout,
        bool requireSuccess, CancellationToken cancellationToken)
    {
        using var requestTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        requestTimeout.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("application/fhir+json");
            using var response = await http.SendAsync(request, requestTimeout.Token);
            var body = await response.Content.ReadAsStringAsync(requestTimeout.Token);
            var status = (int)response.StatusCode;
            if (status >= 500 || (requireSuccess && !response.IsSuccessStatusCode))
                return (null, PreflightFinding.Problem(check, $"GET {url} answered {status} {response.ReasonPhrase}.",
                    status >= 500 ? "the server is up but failing: try again later or report it to the payer." : $"check {Describe(setting)}: the path is probably wrong."));
            return (body, null);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            return (null, PreflightFinding.Problem(check, $"the TLS handshake with {url.Host} failed ({e.InnerException.Message}).",
                "this machine does not trust the server's certificate: install its CA certificate, or check the host name."));
        }
        catch (HttpRequestException e)
        {
            return (null, PreflightFinding.Problem(check, $"GET {url} failed ({e.Message}).", $"check {Describe(setting)} and this machine's network access."));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, PreflightFinding.Problem(check, $"GET {url} got no answer within {timeout.TotalSeconds:0} s.", $"check {Describe(setting)}; the server accepts connections but does not answer HTTP there."));
        }
    }

    /// <summary>Where the TCP connection goes: the URL's host, or the proxy that the HTTP client would use for it.</summary>
    private static (string Host, int Port, Uri? Proxy) ConnectionTarget(Uri url)
    {
        var proxy = HttpClient.DefaultProxy.GetProxy(url);
        return proxy is not null && proxy != url && !HttpClient.DefaultProxy.IsBypassed(url)
            ? (proxy.Host, proxy.Port, proxy)
            : (url.Host, url.Port, null);
    }

    private static string Describe(string setting) => $"{setting} ({SettingsBinder.EnvironmentVariableFor(setting)})";

    private static Uri WithTrailingSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static bool SameEndpoint(Uri a, Uri b) =>
        SameOrigin(a, b) && string.Equals(a.AbsolutePath.TrimEnd('/'), b.AbsolutePath.TrimEnd('/'), StringComparison.Ordinal);
}
