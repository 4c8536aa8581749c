using DigitalInsurance.Conformance.Tests.Checks;
using DigitalInsurance.Conformance.Support.Rules;
using System.Net;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.OAuth;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.OAuth;

public class TokenRefusalTests
{
    private static TokenResponse Response(HttpStatusCode status, string body, params (string Name, string Value)[] headers) =>
        new(status, headers.ToDictionary(h => h.Name, h => (IReadOnlyList<string>)[h.Value], StringComparer.OrdinalIgnoreCase), body);

    private const string InvalidGrant = """{"error":"invalid_grant","error_description":"The specified authorization code is no longer valid."}""";
    private const string InvalidClient = """{"error":"invalid_client"}""";
    private const string Granted = """{"access_token":"at-123456","token_type":"Bearer"}""";

    [Test]
    public void A_400_with_the_expected_error_conforms()
    {
        var verdict = TokenRefusal.Judge(Response(HttpStatusCode.BadRequest, InvalidGrant), "invalid_grant", TokenAuthMethod.ClientSecretPost);
        Assert.That(verdict.Conforms, Is.True, verdict.Observed);
    }

    [Test]
    public void A_granted_token_does_not_conform_and_says_so()
    {
        var verdict = TokenRefusal.Judge(Response(HttpStatusCode.OK, Granted), "invalid_grant", TokenAuthMethod.ClientSecretPost);
        Assert.That(verdict.Conforms, Is.False);
        Assert.That(verdict.Observed, Does.Contain("HTTP 200").And.Contain("access_token"));
        Assert.That(verdict.Observed, Does.Not.Contain("at-123456"));
    }

    [Test]
    public void Another_error_does_not_conform()
    {
        var verdict = TokenRefusal.Judge(Response(HttpStatusCode.BadRequest, """{"error":"invalid_request"}"""), "invalid_grant", TokenAuthMethod.ClientSecretPost);
        Assert.That(verdict.Conforms, Is.False);
        Assert.That(verdict.Observed, Does.Contain("\"invalid_request\""));
        Assert.That(verdict.Expected, Does.Contain("\"invalid_grant\"").And.Contain("HTTP 400"));
    }

    [Test]
    public void Invalid_grant_must_be_400_not_401() =>
        Assert.That(TokenRefusal.Judge(Response(HttpStatusCode.Unauthorized, InvalidGrant), "invalid_grant", TokenAuthMethod.ClientSecretPost).Conforms, Is.False);

    [Test]
    public void A_body_that_is_not_json_does_not_conform()
    {
        var verdict = TokenRefusal.Judge(Response(HttpStatusCode.BadRequest, "<html>Bad request</html>"), "invalid_grant", TokenAuthMethod.ClientSecretPost);
        Assert.That(verdict.Conforms, Is.False);
        Assert.That(verdict.Observed, Does.Contain("not a JSON object"));
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.Unauthorized)]
    public void Invalid_client_with_form_credentials_may_be_400_or_401(HttpStatusCode status) =>
        Assert.That(TokenRefusal.Judge(Response(status, InvalidClient), "invalid_client", TokenAuthMethod.ClientSecretPost).Conforms, Is.True);

    [Test]
    public void Invalid_client_with_basic_credentials_must_be_401_with_a_challenge()
    {
        Assert.That(TokenRefusal.Judge(Response(HttpStatusCode.BadRequest, InvalidClient, ("WWW-Authenticate", "Basic")), "invalid_client", TokenAuthMethod.ClientSecretBasic).Conforms,
            Is.False, "400 is not allowed after Authorization-header authentication");
        var withoutChallenge = TokenRefusal.Judge(Response(HttpStatusCode.Unauthorized, InvalidClient), "invalid_client", TokenAuthMethod.ClientSecretBasic);
        Assert.That(withoutChallenge.Conforms, Is.False);
        Assert.That(withoutChallenge.Observed, Does.Contain("no WWW-Authenticate header"));
        Assert.That(TokenRefusal.Judge(Response(HttpStatusCode.Unauthorized, InvalidClient, ("WWW-Authenticate", "Basic realm=\"token\"")), "invalid_client", TokenAuthMethod.ClientSecretBasic).Conforms,
            Is.True);
    }
}
