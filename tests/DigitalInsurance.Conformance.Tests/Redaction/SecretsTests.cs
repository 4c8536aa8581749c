using System.Text;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Redaction;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Redaction;

public class SecretsTests
{
    // Registered values are process-wide, so every test registers values of its own.
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N");

    private static string Jwt(string claimsJson, string header = """{"alg":"RS256","typ":"JWT","kid":"k1"}""")
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Part(header)}.{Part(claimsJson)}.c2lnbmF0dXJlLWJ5dGVzLW9mLXRoZS10b2tlbg";
    }

    [Test]
    public void A_registered_value_is_replaced_by_a_label_naming_its_kind_wherever_it_appears()
    {
        var secret = Unique("cs_");
        Secrets.Register(secret, "client secret");

        Assert.That(Secrets.Redact($"sent {secret} twice: {secret}."), Is.EqualTo("sent [redacted client secret] twice: [redacted client secret]."));
        Assert.That(Secrets.IsRegistered(secret), Is.True);
    }

    [Test]
    public void A_registered_value_is_also_found_url_encoded_and_json_escaped()
    {
        var secret = "p+w/d=" + Unique("") + " &<x>";
        Secrets.Register(secret, "IMAP password");

        Assert.Multiple(() =>
        {
            Assert.That(Secrets.Redact("password=" + Uri.EscapeDataString(secret)), Does.Not.Contain(Uri.EscapeDataString(secret)));
            Assert.That(Secrets.Redact("password=" + System.Net.WebUtility.UrlEncode(secret) + "&x=1"), Is.EqualTo("password=[redacted IMAP password]&x=1"));
            Assert.That(Secrets.Redact(System.Text.Json.JsonSerializer.Serialize(new { pw = secret })), Is.EqualTo("{\"pw\":\"[redacted IMAP password]\"}"));
        });
    }

    [Test]
    public void The_longer_of_two_overlapping_secrets_is_replaced_whole()
    {
        var code = Unique("code");
        var longer = code + "-refresh";
        Secrets.Register(code, "authorization code");
        Secrets.Register(longer, "refresh token");

        Assert.That(Secrets.Redact(longer), Is.EqualTo("[redacted refresh token]"));
    }

    [Test]
    public void Values_too_short_to_be_secrets_are_not_registered()
    {
        Secrets.Register("abc", "verification code");
        Secrets.Register(null, "verification code");
        Assert.That(Secrets.Redact("abc"), Is.EqualTo("abc"));
    }

    [TestCase("Authorization: Bearer abc.def-123", "Authorization: Bearer [redacted credentials]")]
    [TestCase("authorization: Basic dXNlcjpwYXNz", "authorization: Basic [redacted credentials]")]
    [TestCase("{\"Authorization\": \"Bearer xyz987\"}", "{\"Authorization\": \"Bearer [redacted credentials]\"}")]
    [TestCase("the client sent Bearer 2YotnFZFEjr1zCsicMWpAA to /r4/Patient", "the client sent Bearer [redacted token] to /r4/Patient")]
    [TestCase("GET /cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz", "GET /cb?code=[redacted code]&state=xyz")]
    [TestCase("https://app/cb#access_token=2YotnFZF&token_type=Bearer", "https://app/cb#access_token=[redacted access token]&token_type=Bearer")]
    [TestCase("grant_type=authorization_code&code=abc123&client_secret=s3cr3t&redirect_uri=x", "grant_type=authorization_code&code=[redacted code]&client_secret=[redacted client secret]&redirect_uri=x")]
    [TestCase("grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA", "grant_type=refresh_token&refresh_token=[redacted refresh token]")]
    [TestCase("code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&x=1", "code_verifier=[redacted code verifier]&x=1")]
    [TestCase("{\"access_token\": \"2YotnFZFEjr1zCsicMWpAA\", \"token_type\": \"Bearer\"}", "{\"access_token\": \"[redacted access token]\", \"token_type\": \"Bearer\"}")]
    [TestCase("{\"refresh_token\":\"tGzv3JOk\\\"F0XG\",\"scope\":\"patient/*.read\"}", "{\"refresh_token\":\"[redacted refresh token]\",\"scope\":\"patient/*.read\"}")]
    [TestCase("{\"id_token\":\"opaque-id-token-still-secret\"}", "{\"id_token\":\"[redacted id token]\"}")]
    [TestCase("{\"client_secret\" : \"abc\"}", "{\"client_secret\" : \"[redacted client secret]\"}")]
    public void Credentials_nobody_registered_are_recognised_by_their_shape(string text, string expected)
    {
        Assert.That(Secrets.Redact(text), Is.EqualTo(expected));
    }

    [Test]
    public void Signed_and_encrypted_jwts_are_replaced_anywhere()
    {
        var jwt = Jwt("""{"sub":"123","aud":"app"}""");
        const string jwe = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGeipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQRb23nfa6c9d-StnImGyFDbSv04uVuxIp5Zms1gNxKKK2Da14B8S4rzVRltdYwam_lDp5XnZAYpQdb76FdIKLaVmqgfwX7XWRxv2322i-vDxRfqNzo_tETKzpVLzfiwQyeyPGLBIO56YJ7eObdv0je81860ppamavo35UgoRdbYaBcoh9QcfylQr66oc6vFWXRcZ_ZT2LawVCWTIy3brGPi6UklfCpIMfIjf7iGdXKHzg.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A.XFBoMYUZodetZdvTiFvSkQ";

        Assert.Multiple(() =>
        {
            Assert.That(Secrets.Redact($"id_token {jwt} received"), Is.EqualTo("id_token [redacted JWT] received"));
            Assert.That(Secrets.Redact($"[{jwe}]"), Is.EqualTo("[[redacted encrypted JWT]]"));
        });
    }

    [TestCase("Bearer token missing from the request")]
    [TestCase("{\"code\": \"active\", \"system\": \"http://hl7.org/fhir/CodeSystem/coverage-status\"}")]
    [TestCase("GET /r4/Coverage?patient=123&status=active")]
    [TestCase("postal_code=02114")]
    [TestCase("use Basic authentication")]
    public void Ordinary_text_that_resembles_a_credential_is_left_alone(string text)
    {
        Assert.That(Secrets.Redact(text), Is.EqualTo(text));
    }

    [Test]
    public void Redacting_twice_changes_nothing_more()
    {
        var token = Unique("tok");
        Secrets.Register(token, "access token");
        var once = Secrets.Redact($"Authorization: Bearer {token}\n{{\"access_token\":\"{token}\"}}\n?code={token}");
        Assert.That(Secrets.Redact(once), Is.EqualTo(once));
        Assert.That(once, Does.Not.Contain(token));
    }

    [Test]
    public void A_jwt_is_described_by_its_header_and_claims_without_signature_or_token()
    {
        var email = Unique("m") + "@dic-conformance.example";
        Secrets.Register(email, "member email");
        var jwt = Jwt($$"""{"iss":"http://127.0.0.1:5100/","sub":"Patient/123","fhirUser":"Patient/123","email":"{{email}}","exp":1790000000}""");

        var description = Secrets.DescribeJwt(jwt);

        Assert.Multiple(() =>
        {
            Assert.That(description, Does.Contain("\"alg\": \"RS256\"").And.Contain("\"fhirUser\": \"Patient/123\"").And.Contain("\"exp\": 1790000000"));
            Assert.That(description, Does.Contain("\"email\": \"[redacted member email]\""));
            Assert.That(description, Does.Not.Contain(jwt.Split('.')[2]).And.Not.Contain(jwt.Split('.')[1]));
            Assert.That(System.Text.Json.JsonDocument.Parse(description).RootElement.GetProperty("claims").GetProperty("sub").GetString(), Is.EqualTo("Patient/123"));
        });
    }

    [TestCase("opaque-token", "Not a JWT: expected three dot-separated base64url parts, found 1.")]
    [TestCase("YWJj.e30.sig", "Not a JWT: the header part is not JSON.")]
    [TestCase("e30.!!!.sig", "Not a JWT: the claims part is not base64url.")]
    public void Something_that_is_not_a_jwt_is_described_as_such(string value, string expected)
    {
        Assert.That(Secrets.DescribeJwt(value), Is.EqualTo(expected));
    }

    [Test]
    public void An_exception_carrying_a_secret_is_redacted_and_keeps_its_nunit_verdict()
    {
        var secret = Unique("cs_");
        Secrets.Register(secret, "client secret");

        var failure = Secrets.RedactException(new ConformanceFailure($"[smart-token] client_secret {secret} was echoed back"));
        var error = Secrets.RedactException(new InvalidOperationException($"token endpoint rejected {secret}"));
        var clean = new InvalidOperationException("nothing secret here");

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.InstanceOf<NUnit.Framework.AssertionException>());
            Assert.That(failure.Message, Is.EqualTo("[smart-token] client_secret [redacted client secret] was echoed back"));
            Assert.That(failure.StackTrace, Does.Not.Contain(secret));
            Assert.That(error, Is.InstanceOf<RedactedException>());
            Assert.That(error.Message, Is.EqualTo("System.InvalidOperationException: token endpoint rejected [redacted client secret]"));
            Assert.That(error.ToString(), Does.Not.Contain(secret));
            Assert.That(Secrets.RedactException(clean), Is.SameAs(clean));
        });
    }

    [Test]
    public void Report_files_are_redacted_in_place_and_untouched_files_are_not_rewritten()
    {
        var secret = Unique("code");
        Secrets.Register(secret, "authorization code");
        var folder = Directory.CreateTempSubdirectory("redact-files-").FullName;
        try
        {
            var withSecret = Path.Combine(folder, "reqnroll_report.ndjson");
            var clean = Path.Combine(folder, "other.html");
            File.WriteAllText(withSecret, $"{{\"text\":\"redirected with code {secret}\"}}\n");
            File.WriteAllText(clean, "<html>nothing</html>");
            var cleanWritten = File.GetLastWriteTimeUtc(clean);

            var changed = Secrets.RedactFilesInPlace([withSecret, clean, Path.Combine(folder, "missing.html")]);

            Assert.That(changed, Is.EqualTo(new[] { withSecret }));
            Assert.That(File.ReadAllText(withSecret), Is.EqualTo("{\"text\":\"redirected with code [redacted authorization code]\"}\n"));
            Assert.That(File.GetLastWriteTimeUtc(clean), Is.EqualTo(cleanWritten));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
