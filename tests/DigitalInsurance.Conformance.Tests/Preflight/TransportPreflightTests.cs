using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DigitalInsurance.Conformance.Support.Preflight;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Tests.Checks;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Preflight;

/// <summary>
/// smart-transport-tls in the preflight: the TLS version negotiated with a loopback listener offering only the given
/// versions, and the verdict on it. The embedded sandbox speaks plain http on loopback, so no sandbox fault can show this.
/// </summary>
public class TransportPreflightTests
{
    private static readonly PreflightTimeouts Quick = new() { Connect = TimeSpan.FromSeconds(5), Http = TimeSpan.FromSeconds(10) };

    // The listener's certificate is self-signed: trusted here, for this test only.
    private static readonly RemoteCertificateValidationCallback TrustTestCertificate = (_, _, _, _) => true;

    [TestCase(SslProtocols.Tls12, "TLS 1.2")]
    [TestCase(SslProtocols.Tls13, "TLS 1.3")]
    public async Task A_server_offering_TLS_1_2_or_later_is_reported_with_its_version_and_passes(SslProtocols offered, string name)
    {
        await using var server = TlsListener.Start(offered);
        var observations = await PreflightChecks.ObserveTransportAsync([Probe(server.Url)], Quick, TrustTestCertificate);

        Assert.That(observations.Single().Negotiated, Is.EqualTo(offered));
        Assert.That(observations.Single().Line, Does.EndWith($"negotiated {name}"));
        Assert.DoesNotThrow(() => new TransportRules(TestChecks.Default()).RequireSecureTransport(observations));
    }

    [Test]
    public async Task A_server_offering_only_TLS_1_1_fails_the_rule()
    {
#pragma warning disable SYSLIB0039 // the obsolete version is what this test offers
        await using var server = TlsListener.Start(SslProtocols.Tls11);
#pragma warning restore SYSLIB0039
        var observations = await PreflightChecks.ObserveTransportAsync([Probe(server.Url)], Quick, TrustTestCertificate);

        // This machine's TLS library refuses to negotiate TLS 1.1 at all (OpenSSL 3's default security level): the handshake
        // fails, which fails the rule as well. Where it would negotiate 1.1, the version judgement fails it instead.
        var failure = Assert.Throws<ConformanceFailure>(() => new TransportRules(TestChecks.Default()).RequireSecureTransport(observations))!;
        Assert.That(failure.Message, Does.Contain("[smart-transport-tls]"));
        Assert.That(failure.Message, observations.Single().Negotiated is null ? Does.Contain("TLS handshake") : Does.Contain("negotiated TLS 1.1"));
    }

    [Test]
    public void An_observed_TLS_1_1_or_1_0_fails_the_version_judgement_and_1_2_passes()
    {
#pragma warning disable SYSLIB0039 // named only to be refused
        Assert.That(TransportRules.IsAcceptedTls(SslProtocols.Tls11), Is.False);
        Assert.That(TransportRules.IsAcceptedTls(SslProtocols.Tls), Is.False);
        var tls11 = new TransportObservation("FHIR server", "fhirBaseUrl", new Uri("https://api.payer.example/r4/metadata"), SslProtocols.Tls11, null, null);
#pragma warning restore SYSLIB0039
        Assert.That(TransportRules.IsAcceptedTls(SslProtocols.Tls12), Is.True);
        Assert.That(TransportRules.IsAcceptedTls(SslProtocols.Tls13), Is.True);

        var failure = Assert.Throws<ConformanceFailure>(() => new TransportRules(TestChecks.Default()).RequireSecureTransport([tls11]))!;
        Assert.That(failure.Message, Does.Contain("[smart-transport-tls]").And.Contain("api.payer.example negotiated TLS 1.1"));
    }

    [Test]
    public async Task A_certificate_the_machine_does_not_trust_fails_with_the_handshake_error()
    {
        await using var server = TlsListener.Start(SslProtocols.Tls12);
        var observations = await PreflightChecks.ObserveTransportAsync([Probe(server.Url)], Quick);

        Assert.That(observations.Single().HandshakeFailure, Is.Not.Null);
        Assert.Throws<ConformanceFailure>(() => new TransportRules(TestChecks.Default()).RequireSecureTransport(observations));
    }

    [Test]
    public async Task Plain_http_to_loopback_only_holds_by_its_exemption_and_to_another_host_fails()
    {
        var loopback = await PreflightChecks.ObserveTransportAsync([Probe(new Uri("http://127.0.0.1:5000/r4/metadata")), Probe(new Uri("http://localhost:5000/oauth2/token"))], Quick);
        Assert.DoesNotThrow(() => new TransportRules(TestChecks.Default()).RequireSecureTransport(loopback));

        var external = await PreflightChecks.ObserveTransportAsync([Probe(new Uri("http://127.0.0.1:5000/r4/metadata")), Probe(new Uri("http://auth.payer.example/oauth2/token"))], Quick);
        var failure = Assert.Throws<ConformanceFailure>(() => new TransportRules(TestChecks.Default()).RequireSecureTransport(external))!;
        Assert.That(failure.Message, Does.Contain("[smart-transport-tls]").And.Contain("http://auth.payer.example/oauth2/token is plain http"));
    }

    [Test]
    public async Task A_server_that_cannot_be_reached_leaves_its_TLS_not_observed_rather_than_failed()
    {
        var observations = await PreflightChecks.ObserveTransportAsync([Probe(new Uri("https://api.payer-that-does-not-resolve.invalid/r4/metadata"))], Quick);
        Assert.That(observations.Single().Unreachable, Is.Not.Null, observations.Single().Line);
        var skip = Assert.Throws<IgnoreException>(() => new TransportRules(TestChecks.Default()).RequireSecureTransport(observations))!;
        Assert.That(skip.Message, Does.StartWith("Not observed [smart-transport-tls]").And.Contain("could not be reached"));
    }

    private static PreflightChecks.ServerProbe Probe(Uri url) => new("FHIR server", url, "fhirBaseUrl", RequireSuccess: true);

    /// <summary>A loopback TLS server that offers only the given versions and completes handshakes until disposed.</summary>
    private sealed class TlsListener : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly X509Certificate2 _certificate;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;

        private TlsListener(SslProtocols offered)
        {
            _certificate = SelfSigned();
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _accepting = AcceptAsync(offered);
        }

        public static TlsListener Start(SslProtocols offered) => new(offered);

        public Uri Url => new($"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/r4/metadata");

        private async Task AcceptAsync(SslProtocols offered)
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
                using (client)
                await using (var tls = new SslStream(client.GetStream()))
                {
                    try
                    {
                        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate, EnabledSslProtocols = offered }, _stop.Token);
                    }
                    catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or System.ComponentModel.Win32Exception)
                    {
                        // A refused handshake is what some tests want to see from the client's side.
                    }
                }
            }
        }

        private static X509Certificate2 SelfSigned()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            // Re-imported from PFX so that SslStream on Linux has the private key in a usable form.
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            _certificate.Dispose();
            _stop.Dispose();
        }
    }
}
