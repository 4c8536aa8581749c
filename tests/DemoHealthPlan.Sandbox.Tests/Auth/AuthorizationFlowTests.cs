using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>The standalone launch against a clean sandbox: enrollment, consent, code, token, and the OAuth rules on the way.</summary>
[TestFixture]
public class AuthorizationFlowTests
{
    private TestSandbox _sandbox = null!;
    private SandboxFlow _member = null!;

    [OneTimeSetUp]
    public async Task StartSandboxWithEnrolledMember()
    {
        _sandbox = await TestSandbox.StartAsync(services: CallerProbe.Register);
        // One enrolled, signed-in member whose session tests reuse to get more codes.
        _member = _sandbox.NewFlow();
        await _member.AuthorizeNewMemberAsync(TestMembers.JasonArgonaut);
    }

    [OneTimeTearDown]
    public async Task StopSandbox()
    {
        _member.Dispose();
        await _sandbox.DisposeAsync();
    }

    private string RegisteredRedirect => _sandbox.Client.RedirectUris[0].AbsoluteUri;

    [Test, Description("A new member creates an account, verifies the mailed code, allows, and the code buys a token for their Patient")]
    public async Task NewMember_EnrollsConsentsAndExchangesCode()
    {
        using var flow = _sandbox.NewFlow();
        var email = SandboxFlow.NewEmail();
        var request = new AuthorizeRequest();

        var signIn = await flow.OpenAuthorizationAsync(request);
        Assert.That(signIn.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(signIn.HasLink("Create an account"), "sign-in page offers 'Create an account'");
        Assert.That(signIn.FormWithButton("Sign in").Labels, Is.EquivalentTo(new[] { "Email" }));

        var verify = await flow.CreateAccountAsync(TestMembers.JasonArgonaut, email);
        Assert.That(verify.Status, Is.EqualTo(HttpStatusCode.OK), verify.Alert);
        Assert.That(verify.FormWithButton("Verify").Labels, Is.EquivalentTo(new[] { "Verification Code" }));

        var consent = await flow.EnterMailedCodeAsync(email);
        Assert.That(consent.Heading, Does.Contain(_sandbox.Client.DisplayName));
        Assert.That(consent.VisibleText, Does.Contain("patient/*.read"));
        Assert.That(consent.FormWithButton("Allow").Buttons.Select(b => b.Text), Is.EqualTo(new[] { "Allow", "Deny" }));

        var redirect = await flow.DecideAsync(allow: true);
        Assert.That(redirect.Target, Is.EqualTo(RegisteredRedirect));
        Assert.That(redirect.Code, Is.Not.Null.And.Not.Empty);
        Assert.That(redirect.State, Is.EqualTo(request.State));

        var token = await flow.ExchangeCodeAsync(redirect.Code!);
        Assert.That(token.Status, Is.EqualTo(HttpStatusCode.OK), token.ToString());
        Assert.That(token.TokenType, Is.EqualTo("Bearer"));
        Assert.That(token.ExpiresIn, Is.InRange(1, 3600));
        Assert.That(token.Scope, Is.EqualTo("patient/*.read"));
        Assert.That(token.Patient, Is.EqualTo("jason-argonaut"));
        Assert.That(token.IdToken, Is.Null, "no id_token without openid");

        var access = await IdTokens.ValidateAsync(_sandbox, token.AccessToken!, audience: null, tokenType: "at+jwt");
        Assert.That(access.IsValid, access.Exception?.Message);
        var claims = IdTokens.Read(token.AccessToken!);
        Assert.That(claims.Alg, Is.EqualTo("RS256"));
        Assert.That(claims.GetClaim("patient").Value, Is.EqualTo("jason-argonaut"));
        Assert.That(claims.GetClaim("scope").Value, Is.EqualTo("patient/*.read"));
        Assert.That(claims.Issuer, Is.EqualTo(_sandbox.Endpoints.BaseUrl.AbsoluteUri));
    }

    [Test, Description("The verification email comes from Sandbox:Smtp:From with the subject and a 6-digit code")]
    public async Task VerificationEmail_CarriesTheCode()
    {
        using var flow = _sandbox.NewFlow();
        var email = SandboxFlow.NewEmail();
        await flow.OpenAuthorizationAsync(new AuthorizeRequest());
        await flow.CreateAccountAsync(TestMembers.JasonArgonaut, email);

        var message = await _sandbox.Mail.WaitForMessageAsync(email);
        Assert.That(message.Subject, Is.EqualTo("Your Demo Health Plan verification code"));
        Assert.That(message.From.Mailboxes.Single().Address, Is.EqualTo("no-reply@demo-health-plan.example"));
        Assert.That(message.TextBody, Does.Match(@"\b\d{6}\b"));
    }

    [Test, Description("state comes back exactly as sent, special characters included")]
    public async Task State_IsEchoedUnchanged()
    {
        var request = new AuthorizeRequest { State = "a b/c?d=é&e+f" };
        var redirect = await _member.AuthorizeAgainAsync(request);
        Assert.That(redirect.State, Is.EqualTo(request.State));
        Assert.That(redirect.Code, Is.Not.Null);
    }

    [Test, Description("Without a scope parameter the sandbox grants patient/*.read")]
    public async Task Scope_DefaultsToPatientRead()
    {
        var consent = await _member.OpenAuthorizationAsync(new AuthorizeRequest { Scope = null });
        Assert.That(consent.VisibleText, Does.Contain("patient/*.read"));
        var redirect = await _member.DecideAsync(allow: true);

        var token = await _member.ExchangeCodeAsync(redirect.Code!);
        Assert.That(token.Scope, Is.EqualTo("patient/*.read"));
        Assert.That(IdTokens.Read(token.AccessToken!).GetClaim("scope").Value, Is.EqualTo("patient/*.read"));
    }

    [Test, Description("openid fhirUser yields an RS256 id_token for the client, verifiable with the JWKS, fhirUser = the member's Patient URL")]
    public async Task OpenId_YieldsVerifiableIdTokenWithFhirUser()
    {
        var redirect = await _member.AuthorizeAgainAsync(new AuthorizeRequest { Scope = "openid fhirUser patient/*.read" });
        var token = await _member.ExchangeCodeAsync(redirect.Code!);
        Assert.That(token.IdToken, Is.Not.Null, token.ToString());
        Assert.That(token.Scope!.Split(' '), Is.EquivalentTo(new[] { "openid", "fhirUser", "patient/*.read" }));

        var validation = await IdTokens.ValidateAsync(_sandbox, token.IdToken!, audience: _sandbox.Client.ClientId);
        Assert.That(validation.IsValid, validation.Exception?.Message);
        var idToken = IdTokens.Read(token.IdToken!);
        Assert.That(idToken.Alg, Is.EqualTo("RS256"));
        Assert.That(idToken.Audiences, Is.EqualTo(new[] { _sandbox.Client.ClientId }));
        Assert.That(idToken.GetClaim("fhirUser").Value, Is.EqualTo(new Uri(_sandbox.Endpoints.BaseUrl, "r4/Patient/jason-argonaut").AbsoluteUri));
        Assert.That(idToken.Subject, Is.EqualTo("jason-argonaut"));
    }

    [Test, Description("Token responses carry Cache-Control: no-store and Pragma: no-cache")]
    public async Task TokenResponse_ForbidsCaching()
    {
        var redirect = await _member.AuthorizeAgainAsync();
        var token = await _member.ExchangeCodeAsync(redirect.Code!);
        Assert.That(token.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(token.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(token.Headers.Pragma.Select(p => p.Name), Does.Contain("no-cache"));
    }

    [TestCase(ClientAuthentication.ClientSecretPost)]
    [TestCase(ClientAuthentication.ClientSecretBasic)]
    [Description("The test client authenticates with client_secret_post and client_secret_basic")]
    public async Task ClientAuthentication_PostAndBasicAreAccepted(ClientAuthentication method)
    {
        var redirect = await _member.AuthorizeAgainAsync();
        var token = await _member.ExchangeCodeAsync(redirect.Code!, authentication: method);
        Assert.That(token.Status, Is.EqualTo(HttpStatusCode.OK), token.ToString());
        Assert.That(token.Patient, Is.EqualTo("jason-argonaut"));
    }

    [TestCase(ClientAuthentication.ClientSecretPost)]
    [TestCase(ClientAuthentication.ClientSecretBasic)]
    [Description("A wrong client secret is 401 invalid_client")]
    public async Task WrongClientSecret_IsInvalidClient(ClientAuthentication method)
    {
        var redirect = await _member.AuthorizeAgainAsync();
        var token = await _member.ExchangeCodeAsync(redirect.Code!, authentication: method, clientSecret: "not-the-secret");
        Assert.That(token.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(token.Error, Is.EqualTo("invalid_client"));
    }

    [Test, Description("An authorization code works once; the second exchange is 400 invalid_grant")]
    public async Task ReusedCode_IsInvalidGrant()
    {
        var redirect = await _member.AuthorizeAgainAsync();
        var first = await _member.ExchangeCodeAsync(redirect.Code!);
        var second = await _member.ExchangeCodeAsync(redirect.Code!);
        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(second.Error, Is.EqualTo("invalid_grant"));
    }

    [Test, Description("A redirect_uri at the token endpoint other than the authorization request's is 400 invalid_grant")]
    public async Task RedirectUriMismatch_IsInvalidGrant()
    {
        var redirect = await _member.AuthorizeAgainAsync();
        var token = await _member.ExchangeCodeAsync(redirect.Code!, redirectUri: "https://dic-conformance.example/other");
        Assert.That(token.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(token.Error, Is.EqualTo("invalid_grant"));
    }

    [Test, Description("With an S256 code_challenge, only the matching code_verifier redeems the code")]
    public async Task Pkce_S256VerifierIsRequiredAndChecked()
    {
        var (verifier, challenge) = AuthorizeRequest.NewPkce();
        var request = new AuthorizeRequest { CodeChallenge = challenge, CodeChallengeMethod = "S256" };

        var missing = await _member.ExchangeCodeAsync((await _member.AuthorizeAgainAsync(request)).Code!);
        var wrong = await _member.ExchangeCodeAsync((await _member.AuthorizeAgainAsync(request)).Code!, codeVerifier: AuthorizeRequest.NewPkce().Verifier);
        var right = await _member.ExchangeCodeAsync((await _member.AuthorizeAgainAsync(request)).Code!, codeVerifier: verifier);

        Assert.That((missing.Status, missing.Error), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_request")));
        Assert.That((wrong.Status, wrong.Error), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_grant")));
        Assert.That(right.Status, Is.EqualTo(HttpStatusCode.OK), right.ToString());
    }

    [Test, Description("PKCE 'plain' is refused with an error page (OpenIddict shows its request validation errors itself)")]
    public async Task Pkce_PlainIsRefused()
    {
        var page = await _member.OpenAuthorizationAsync(new AuthorizeRequest { CodeChallenge = new string('a', 43), CodeChallengeMethod = "plain" });
        Assert.That(page.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(page.Alert, Does.Contain("code_challenge_method"));
        Assert.That(_member.Redirect, Is.Null, "no code is issued");
    }

    [Test, Description("Deny sends the member back with error=access_denied and the state")]
    public async Task Deny_RedirectsWithAccessDeniedAndState()
    {
        var request = new AuthorizeRequest();
        var redirect = await _member.AuthorizeAgainAsync(request, allow: false);
        Assert.That(redirect.Target, Is.EqualTo(RegisteredRedirect));
        Assert.That(redirect.Error, Is.EqualTo("access_denied"));
        Assert.That(redirect.State, Is.EqualTo(request.State));
        Assert.That(redirect.Code, Is.Null);
    }

    [TestCase("grant_type=foo", "unsupported_grant_type")]
    [TestCase("", "invalid_request")]
    [TestCase("grant_type=authorization_code&code=not-a-code&redirect_uri=https%3A%2F%2Fdic-conformance.example%2Fcallback", "invalid_grant")]
    [Description("Bogus token requests get a JSON OAuth error")]
    public async Task BogusTokenRequest_GetsJsonOAuthError(string form, string expectedError)
    {
        using var http = new HttpClient();
        var content = new StringContent(form, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
        using var message = new HttpRequestMessage(HttpMethod.Post, _sandbox.Endpoints.TokenEndpoint) { Content = content };
        message.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{_sandbox.Client.ClientId}:{_sandbox.Client.ClientSecret}")));
        using var response = await http.SendAsync(message);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(body["error"]?.GetValue<string>(), Is.EqualTo(expectedError));
    }

    [Test, Description("The access token authenticates resource requests as the member (SandboxAuthentication); none or a forged one does not")]
    public async Task AccessToken_AuthenticatesResourceRequests()
    {
        var redirect = await _member.AuthorizeAgainAsync(new AuthorizeRequest { Scope = "launch/patient patient/Patient.read patient/Coverage.read" });
        var token = await _member.ExchangeCodeAsync(redirect.Code!);
        using var http = new HttpClient { BaseAddress = _sandbox.Endpoints.BaseUrl };

        async Task<HttpResponseMessage> Call(string? bearer)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, CallerProbe.Path);
            if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            return await http.SendAsync(request);
        }

        using var withToken = await Call(token.AccessToken);
        Assert.That(withToken.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var caller = JsonNode.Parse(await withToken.Content.ReadAsStringAsync())!;
        Assert.That(caller["patient"]!.GetValue<string>(), Is.EqualTo("jason-argonaut"));
        Assert.That(caller["scopes"]!.AsArray().Select(s => s!.GetValue<string>()),
            Is.EqualTo(new[] { "launch/patient", "patient/Coverage.read", "patient/Patient.read" }));
        Assert.That(caller["client"]!.GetValue<string>(), Is.EqualTo(_sandbox.Client.ClientId));

        using var without = await Call(null);
        Assert.That(without.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var forged = token.AccessToken![..^4] + (token.AccessToken.EndsWith("AAAA") ? "BBBB" : "AAAA");
        using var withForged = await Call(forged);
        Assert.That(withForged.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test, Description("The issuer is the base URL the sandbox is bound to (started on port 0)")]
    public async Task Issuer_IsTheBoundBaseUrl()
    {
        using var http = new HttpClient();
        var discovery = JsonNode.Parse(await http.GetStringAsync(new Uri(_sandbox.Endpoints.BaseUrl, ".well-known/openid-configuration")))!;
        Assert.That(_sandbox.Endpoints.BaseUrl.Port, Is.Not.EqualTo(0));
        Assert.That(discovery["issuer"]!.GetValue<string>(), Is.EqualTo(_sandbox.Endpoints.BaseUrl.AbsoluteUri));
    }
}
