using DigitalInsurance.Conformance.Support.OAuth;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.OAuth;

public class AuthorizationRequestTests
{
    private static AuthorizationRequest Request() => new()
    {
        AuthorizeEndpoint = AuthorizationRequest.Endpoint(new Uri("https://auth.payer.example"), "oauth2/authorize/digitalinsurance"),
        ClientId = "client-1",
        RedirectUri = new Uri("http://localhost:8765/callback"),
        Scope = "patient/*.read openid fhirUser",
        State = "state-123",
        Audience = "https://api.payer.example/r4",
    };

    private static Dictionary<string, string> QueryOf(Uri uri) =>
        uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]));

    [Test]
    public void Pkce_challenge_matches_the_RFC_7636_appendix_B_example()
    {
        Assert.That(Pkce.ChallengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), Is.EqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    [Test]
    public void Pkce_pairs_are_fresh_43_character_verifiers_with_their_S256_challenge()
    {
        var first = Pkce.Create();
        var second = Pkce.Create();
        Assert.Multiple(() =>
        {
            Assert.That(first.Verifier, Has.Length.EqualTo(43).And.Match("^[A-Za-z0-9_-]+$"));
            Assert.That(first.Challenge, Is.EqualTo(Pkce.ChallengeFor(first.Verifier)));
            Assert.That(second.Verifier, Is.Not.EqualTo(first.Verifier));
        });
    }

    [Test]
    public void Uri_carries_every_SMART_parameter_percent_encoded()
    {
        var uri = Request().ToUri();
        Assert.That(uri.GetLeftPart(UriPartial.Path), Is.EqualTo("https://auth.payer.example/oauth2/authorize/digitalinsurance"));
        Assert.That(uri.Query, Does.Contain("scope=patient%2F%2A.read%20openid%20fhirUser"));
        Assert.That(QueryOf(uri), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = "client-1",
            ["redirect_uri"] = "http://localhost:8765/callback",
            ["scope"] = "patient/*.read openid fhirUser",
            ["state"] = "state-123",
            ["aud"] = "https://api.payer.example/r4",
        }));
    }

    [Test]
    public void Pkce_adds_the_challenge_and_S256()
    {
        var query = QueryOf((Request() with { CodeChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" }).ToUri());
        Assert.That(query["code_challenge"], Is.EqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        Assert.That(query["code_challenge_method"], Is.EqualTo("S256"));
    }

    [Test]
    public void Overrides_replace_add_and_remove_parameters()
    {
        var query = QueryOf((Request() with
        {
            Overrides = new Dictionary<string, string?> { ["state"] = null, ["response_type"] = "token", ["prompt"] = "login" },
        }).ToUri());
        Assert.That(query.ContainsKey("state"), Is.False);
        Assert.That(query["response_type"], Is.EqualTo("token"));
        Assert.That(query["prompt"], Is.EqualTo("login"));
    }

    [TestCase("https://auth.payer.example", "oauth2/authorize/digitalinsurance")]
    [TestCase("https://auth.payer.example/", "/oauth2/authorize/digitalinsurance")]
    public void Endpoint_joins_base_and_path_with_one_slash(string authBase, string path)
    {
        Assert.That(AuthorizationRequest.Endpoint(new Uri(authBase), path).AbsoluteUri,
            Is.EqualTo("https://auth.payer.example/oauth2/authorize/digitalinsurance"));
    }

    [Test]
    public void Endpoint_keeps_a_base_path()
    {
        Assert.That(AuthorizationRequest.Endpoint(new Uri("https://payer.example/auth"), "oauth2/token").AbsoluteUri,
            Is.EqualTo("https://payer.example/auth/oauth2/token"));
    }

    [Test]
    public void States_are_url_safe_and_unique()
    {
        var states = Enumerable.Range(0, 50).Select(_ => AuthorizationRequest.NewState()).ToList();
        Assert.That(states, Is.Unique);
        Assert.That(states, Has.All.Match("^[A-Za-z0-9_-]{22}$"));
    }

    [Test]
    public void Launch_patient_is_added_once_and_a_nonce_only_with_openid()
    {
        Assert.Multiple(() =>
        {
            Assert.That(AuthorizationRequest.WithScope("patient/*.read", AuthorizationRequest.LaunchPatient), Is.EqualTo("launch/patient patient/*.read"));
            Assert.That(AuthorizationRequest.WithScope("patient/*.read launch/patient", AuthorizationRequest.LaunchPatient), Is.EqualTo("patient/*.read launch/patient"));
            Assert.That(AuthorizationRequest.NonceFor("openid fhirUser patient/*.read"), Does.Match("^[A-Za-z0-9_-]{22}$"));
            Assert.That(AuthorizationRequest.NonceFor("patient/*.read openidish"), Is.Null);
        });
    }
}
