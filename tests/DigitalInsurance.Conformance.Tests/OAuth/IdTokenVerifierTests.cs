using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using DigitalInsurance.Conformance.Support.OAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.OAuth;

public class IdTokenVerifierTests
{
    private const string ClientId = "client-1";
    private LocalWebServer _issuerServer = null!;
    private HttpClient _http = null!;
    private RsaSecurityKey _publishedKey = null!;
    private RsaSecurityKey _otherKey = null!;
    private string _issuer = null!;
    private string? _discoveryIssuer;

    [OneTimeSetUp]
    public async Task StartIssuer()
    {
        _publishedKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "published" };
        _otherKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "published" };
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_publishedKey.Rsa.ExportParameters(false)) { KeyId = "published" });
        var jwks = JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } });

        _issuerServer = await LocalWebServer.StartAsync(app =>
        {
            app.MapGet("/.well-known/openid-configuration", (HttpContext context) =>
                Results.Json(new { issuer = _discoveryIssuer ?? _issuer, jwks_uri = new Uri(_issuerServer.BaseUrl, ".well-known/jwks").AbsoluteUri }));
            app.MapGet("/.well-known/jwks", () => Results.Text(jwks, "application/json"));
        });
        _issuer = _issuerServer.BaseUrl.AbsoluteUri;
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _issuerServer.DisposeAsync();
    }

    private string Token(SecurityKey? key = null, string audience = ClientId, DateTime? expires = null, bool withSubject = true, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var expiry = expires ?? DateTime.UtcNow.AddHours(1);
        var claims = new Dictionary<string, object> { ["fhirUser"] = "Patient/argonaut-1" };
        if (withSubject) claims["sub"] = "member-42";
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = expiry.AddHours(-2),
            NotBefore = expiry.AddHours(-2),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(key ?? _publishedKey, algorithm),
        });
    }

    private Task<IdTokenVerification> Verify(string token, string? issuer = null) =>
        new IdTokenVerifier(_http).VerifyAsync(token, issuer ?? _issuer, ClientId);

    [Test]
    public async Task A_good_token_passes_every_check_and_exposes_its_claims()
    {
        var result = await Verify(Token());

        Assert.That(result.Checks.Where(c => !c.Passed), Is.Empty);
        Assert.That(result.AllPassed, Is.True);
        Assert.That(result.Checks.Select(c => c.Name), Is.SupersetOf(new[]
        {
            IdTokenVerifier.Discovery, IdTokenVerifier.DiscoveryIssuer, IdTokenVerifier.Keys, IdTokenVerifier.Algorithm, IdTokenVerifier.Signature,
            IdTokenVerifier.IssuerCheck, IdTokenVerifier.AudienceCheck, IdTokenVerifier.ExpiryCheck, IdTokenVerifier.SubjectCheck,
        }));
        Assert.That(result.Claims["sub"].GetString(), Is.EqualTo("member-42"));
        Assert.That(result.Claims["fhirUser"].GetString(), Is.EqualTo("Patient/argonaut-1"));
        Assert.That(result.Header["kid"].GetString(), Is.EqualTo("published"));
    }

    [Test]
    public async Task The_issuer_may_differ_by_a_trailing_slash_only()
    {
        Assert.That((await Verify(Token(), _issuer.TrimEnd('/'))).Check(IdTokenVerifier.IssuerCheck).Passed, Is.True);
        var other = await Verify(Token(), "http://127.0.0.1:1/other-issuer");
        Assert.That(other.Check(IdTokenVerifier.IssuerCheck).Passed, Is.False);
    }

    [Test]
    public async Task An_OpenID_configuration_naming_another_issuer_fails_its_issuer_and_iss()
    {
        _discoveryIssuer = "https://elsewhere.example/";
        try
        {
            var result = await Verify(Token());

            Assert.That(result.Checks.Where(c => !c.Passed).Select(c => c.Name), Is.EquivalentTo(new[] { IdTokenVerifier.DiscoveryIssuer, IdTokenVerifier.IssuerCheck }));
            Assert.That(result.Check(IdTokenVerifier.DiscoveryIssuer).Detail, Does.Contain("names issuer 'https://elsewhere.example/', not"));
            Assert.That(result.Check(IdTokenVerifier.IssuerCheck).Detail, Does.Contain("the OpenID configuration's 'https://elsewhere.example/'"));
        }
        finally
        {
            _discoveryIssuer = null;
        }
    }

    [Test]
    public async Task A_token_for_another_audience_fails_aud_only()
    {
        var result = await Verify(Token(audience: "someone-else"));

        Assert.That(result.Checks.Where(c => !c.Passed).Select(c => c.Name), Is.EquivalentTo(new[] { IdTokenVerifier.AudienceCheck }));
        Assert.That(result.Check(IdTokenVerifier.AudienceCheck).Detail, Does.Contain("someone-else").And.Contain(ClientId));
    }

    [Test]
    public async Task A_token_signed_with_another_key_fails_the_signature()
    {
        var result = await Verify(Token(key: _otherKey));

        Assert.That(result.Checks.Where(c => !c.Passed).Select(c => c.Name), Is.EquivalentTo(new[] { IdTokenVerifier.Signature }));
        Assert.That(result.Check(IdTokenVerifier.Signature).Detail, Does.Contain("does not verify"));
    }

    [Test]
    public async Task A_tampered_payload_fails_the_signature()
    {
        var parts = Token().Split('.');
        var forged = Base64UrlEncoder.Encode(Base64UrlEncoder.Decode(parts[1]).Replace("member-42", "member-43"));
        var result = await Verify($"{parts[0]}.{forged}.{parts[2]}");

        Assert.That(result.Check(IdTokenVerifier.Signature).Passed, Is.False);
        Assert.That(result.Claims["sub"].GetString(), Is.EqualTo("member-43"));
    }

    [Test]
    public async Task An_expired_token_fails_exp_only()
    {
        var result = await Verify(Token(expires: new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc)));

        Assert.That(result.Checks.Where(c => !c.Passed).Select(c => c.Name), Is.EquivalentTo(new[] { IdTokenVerifier.ExpiryCheck }));
        Assert.That(result.Check(IdTokenVerifier.ExpiryCheck).Detail, Does.Contain("2001-01-01"));
    }

    [Test]
    public async Task A_token_without_sub_fails_sub()
    {
        var result = await Verify(Token(withSubject: false));
        Assert.That(result.Checks.Where(c => !c.Passed).Select(c => c.Name), Is.EquivalentTo(new[] { IdTokenVerifier.SubjectCheck }));
    }

    [Test]
    public async Task An_HS256_token_fails_the_algorithm_and_the_signature()
    {
        var symmetric = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "published" };
        var result = await Verify(Token(key: symmetric, algorithm: SecurityAlgorithms.HmacSha256));

        Assert.That(result.Check(IdTokenVerifier.Algorithm).Passed, Is.False);
        Assert.That(result.Check(IdTokenVerifier.Signature).Passed, Is.False);
    }

    [Test]
    public async Task An_unreachable_issuer_fails_discovery_and_leaves_the_signature_unchecked()
    {
        var result = await new IdTokenVerifier(_http).VerifyAsync(Token(), "http://127.0.0.1:1", ClientId);

        Assert.That(result.Check(IdTokenVerifier.Discovery).Passed, Is.False);
        Assert.That(result.Check(IdTokenVerifier.Signature).Detail, Does.Contain("not checked"));
        Assert.That(result.AllPassed, Is.False);
    }

    [Test]
    public async Task Garbage_is_reported_as_not_a_JWT()
    {
        var result = await Verify("not-a-jwt");
        Assert.That(result.Check(IdTokenVerifier.Decoding).Passed, Is.False);
        Assert.That(result.AllPassed, Is.False);
    }
}
