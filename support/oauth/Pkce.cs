using System.Security.Cryptography;
using System.Text;
using DigitalInsurance.Conformance.Support.Redaction;

namespace DigitalInsurance.Conformance.Support.OAuth;

/// <summary>A PKCE pair (RFC 7636): the verifier stays with the client, the S256 challenge goes into the authorization request.</summary>
public sealed record Pkce(string Verifier, string Challenge)
{
    public const string ChallengeMethod = "S256";

    /// <summary>A fresh pair with a 43-character verifier (32 random bytes, the RFC's recommendation).</summary>
    public static Pkce Create()
    {
        var verifier = Base64Url.Encode(RandomNumberGenerator.GetBytes(32));
        Secrets.Register(verifier, "PKCE code verifier");
        return new Pkce(verifier, ChallengeFor(verifier));
    }

    /// <summary>BASE64URL(SHA256(ASCII(verifier))), RFC 7636 section 4.2.</summary>
    public static string ChallengeFor(string verifier) =>
        Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}

internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
