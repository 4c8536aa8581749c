using System.Net;
using System.Security.Authentication;
using DigitalInsurance.Conformance.Support.Preflight;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// smart-transport-tls: an external payer is reached over https with TLS 1.2 or later. Loopback hosts are exempt, so a
/// payer's developer (and the embedded sandbox) can run the harness against a server on their own machine.
/// </summary>
public sealed class TransportRules(Check check)
{
    /// <summary>The lowest TLS version BCP 195 (RFC 9325 3.1.1) lets a client negotiate.</summary>
    public const SslProtocols LowestAcceptedTls = SslProtocols.Tls12;

    /// <summary>127.0.0.0/8, ::1 and the name localhost: traffic that never leaves the machine.</summary>
    public static bool IsLoopback(Uri url) =>
        string.Equals(url.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>Plain http to a host other than loopback: the client secret, codes and tokens would cross the network in clear.</summary>
    public static bool IsPlainHttpToExternalHost(Uri url) => url.Scheme == Uri.UriSchemeHttp && !IsLoopback(url);

    /// <summary>TLS 1.2 or 1.3; SSL 3, TLS 1.0 and 1.1 are not.</summary>
    public static bool IsAcceptedTls(SslProtocols negotiated) => negotiated >= LowestAcceptedTls;

    /// <summary>
    /// Each server: https with TLS 1.2 or later, or plain http on a loopback host (exempt, noted in the evidence).
    /// </summary>
    public void RequireSecureTransport(IReadOnlyList<TransportObservation> observations)
    {
        var rule = Requirements.SmartTransportTls;
        // A test payer on loopback holds the rule by its exemption: the scenario passes, saying so, rather than being
        // skipped, since nothing about it is left undemonstrated.
        if (observations.All(o => o.Url.Scheme == Uri.UriSchemeHttp && IsLoopback(o.Url)))
        {
            check.Scope.Evidence.AddText($"Exempt [{rule.Id}]", "text/plain", "txt",
                $"Every server is on a loopback host over plain http ({string.Join(", ", observations.Select(o => o.Url.GetLeftPart(UriPartial.Authority)).Distinct())}), " +
                "which the harness exempts for test payers: no credential leaves the machine, and there is no TLS to judge.");
            return;
        }
        var unreachable = new List<TransportObservation>();
        foreach (var o in observations)
        {
            if (o.Url.Scheme == Uri.UriSchemeHttp)
            {
                check.That(IsLoopback(o.Url), rule, $"the {o.Role} ({o.Setting}) is reached over https", $"{o.Url} is plain http to a host that is not loopback");
                continue;
            }
            if (o.Unreachable is not null)
            {
                unreachable.Add(o);
                continue;
            }
            if (o.HandshakeFailure is not null)
            {
                check.That(false, rule, $"the {o.Role} ({o.Setting}) completes a TLS handshake", $"the TLS handshake with {o.Url.Authority} failed: {o.HandshakeFailure}");
                continue;
            }
            if (o.Negotiated is { } negotiated)
                check.That(IsAcceptedTls(negotiated), rule, $"the {o.Role} ({o.Setting}) negotiates TLS 1.2 or later",
                    $"{o.Url.Authority} negotiated {TransportObservation.Name(negotiated)}");
            else
                check.Scope.Evidence.AddText($"Not observed [{rule.Id}]", "text/plain", "txt",
                    $"The TLS version of {o.Url.Authority} is not observed: the harness reaches it through the proxy {o.Proxy}, and checks the version only on a direct connection.");
        }
        // A server that cannot be reached at all is the servers preflight's finding; its TLS is not demonstrated, not failed.
        if (unreachable.Count > 0)
            throw new NUnit.Framework.IgnoreException(
                $"Not observed [{rule.Id}]: {string.Join("; ", unreachable.Select(o => $"the {o.Role} ({o.Setting}) could not be reached: {o.Unreachable}"))}. " +
                "The preflight scenario about the servers says why; the TLS version is judged once they can be reached.");
    }
}
