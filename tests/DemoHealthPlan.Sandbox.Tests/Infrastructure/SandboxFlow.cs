using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;

namespace DemoHealthPlan.Sandbox.Tests.Infrastructure;

/// <summary>An authorization request as a client app builds it. Null members are left out of the URL.</summary>
public sealed record AuthorizeRequest
{
    /// <summary>Null: the test client's id.</summary>
    public string? ClientId { get; init; }

    /// <summary>Null: the test client's first registered redirect URI.</summary>
    public string? RedirectUri { get; init; }

    public string? Scope { get; init; } = "patient/*.read";
    public string? State { get; init; } = "state-" + Guid.NewGuid().ToString("N")[..12];
    public string ResponseType { get; init; } = "code";
    public string? CodeChallenge { get; init; }
    public string? CodeChallengeMethod { get; init; }

    /// <summary>A PKCE verifier and its S256 challenge.</summary>
    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }
}

/// <summary>Where the authorization endpoint sent the browser back to the client: the redirect_uri with code or error.</summary>
public sealed record AuthorizationRedirect(Uri Location)
{
    private IDictionary<string, Microsoft.Extensions.Primitives.StringValues> Query => QueryHelpers.ParseQuery(Location.Query);
    public string? Code => Get("code");
    public string? State => Get("state");
    public string? Error => Get("error");
    public string? ErrorDescription => Get("error_description");

    /// <summary>The redirect target without its query, to compare with the registered redirect_uri.</summary>
    public string Target => Location.GetLeftPart(UriPartial.Path);

    private string? Get(string name) => Query.TryGetValue(name, out var v) ? v.ToString() : null;

    public override string ToString() => Error is null ? $"redirect with code to {Target}" : $"redirect with error {Error} to {Target}";
}

/// <summary>The token endpoint's answer, parsed, with status and headers kept for the rules about them.</summary>
public sealed record TokenResponse(HttpStatusCode Status, JsonObject Body, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders)
{
    public string? AccessToken => String("access_token");
    public string? TokenType => String("token_type");
    public long? ExpiresIn => Body["expires_in"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;
    public string? Scope => String("scope");
    public string? Patient => String("patient");
    public string? IdToken => String("id_token");
    public string? Error => String("error");
    public string? ErrorDescription => String("error_description");

    private string? String(string name) => Body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    // Tokens never appear in test output.
    public override string ToString() => Error is null ? $"{(int)Status} token response ({TokenType})" : $"{(int)Status} {Error}";
}

public enum ClientAuthentication
{
    /// <summary>client_id and client_secret in the form body.</summary>
    ClientSecretPost,

    /// <summary>HTTP Basic with the form-url-encoded client_id and client_secret.</summary>
    ClientSecretBasic,
}

/// <summary>
/// One member's browser session against a <see cref="TestSandbox"/>: real HTTP, cookies kept, redirects followed by
/// hand (so the redirect to the client's redirect_uri is captured, never fetched). Pages are driven by label and
/// button text, like a person would. Step methods return the page reached; <see cref="CurrentPage"/> is the last one.
/// </summary>
public sealed class SandboxFlow : IDisposable
{
    private readonly TestSandbox _sandbox;
    private readonly HttpClient _http;

    internal SandboxFlow(TestSandbox sandbox)
    {
        _sandbox = sandbox;
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = sandbox.Endpoints.BaseUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public HtmlPage? CurrentPage { get; private set; }

    /// <summary>The redirect to the client's redirect_uri, once the authorization endpoint has sent one.</summary>
    public AuthorizationRedirect? Redirect { get; private set; }

    /// <summary>The URL a client app opens in the browser for <paramref name="request"/>.</summary>
    public Uri AuthorizeUrl(AuthorizeRequest request)
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = request.ResponseType,
            ["client_id"] = request.ClientId ?? _sandbox.Client.ClientId,
            ["redirect_uri"] = request.RedirectUri ?? _sandbox.Client.RedirectUris[0].AbsoluteUri,
            ["scope"] = request.Scope,
            ["state"] = request.State,
            ["code_challenge"] = request.CodeChallenge,
            ["code_challenge_method"] = request.CodeChallengeMethod,
        };
        return new Uri(QueryHelpers.AddQueryString(_sandbox.Endpoints.AuthorizeEndpoint.AbsoluteUri,
            query.Where(p => p.Value is not null)!));
    }

    /// <summary>Opens the authorization URL: with nobody signed in, the sign-in page; with a member signed in, consent.</summary>
    public Task<HtmlPage> OpenAuthorizationAsync(AuthorizeRequest request) => GetAsync(AuthorizeUrl(request));

    /// <summary>From the sign-in page (or the create-account page): "Create an account", fill the five attributes and the email, submit.</summary>
    public async Task<HtmlPage> CreateAccountAsync(TestMember member, string email)
    {
        var createPage = Page.HasLink("Create an account") ? await GetAsync(Page.Link("Create an account")) : Page;
        var form = createPage.FormWithButton("Create account")
            .Fill("First Name", member.FirstName)
            .Fill("Last Name", member.LastName)
            .Fill("Birthdate", member.BirthdateText)
            .Fill("Member ID", member.MemberId)
            .Fill("Postal Code", member.PostalCode)
            .Fill("Email", email);
        return await SubmitAsync(form, "Create account");
    }

    /// <summary>From the sign-in page: a returning member types their account's email and clicks "Sign in".</summary>
    public Task<HtmlPage> SignInAsync(string email) =>
        SubmitAsync(Page.FormWithButton("Sign in").Fill("Email", email), "Sign in");

    /// <summary>On the verification page: types <paramref name="code"/> and clicks "Verify". Success leads to consent.</summary>
    public Task<HtmlPage> EnterCodeAsync(string code) =>
        SubmitAsync(Page.FormWithButton("Verify").Fill("Verification Code", code), "Verify");

    /// <summary>Reads the newest code mailed to <paramref name="email"/> and enters it.</summary>
    public async Task<HtmlPage> EnterMailedCodeAsync(string email)
    {
        var code = await _sandbox.Mail.WaitForVerificationCodeAsync(email, _sandbox.Mail.MessagesTo(email).Count - 1);
        return await EnterCodeAsync(code);
    }

    /// <summary>On the consent page: "Allow" or "Deny"; returns the redirect to the client.</summary>
    public async Task<AuthorizationRedirect> DecideAsync(bool allow)
    {
        var button = allow ? "Allow" : "Deny";
        await SubmitAsync(Page.FormWithButton(button), button);
        return Redirect ?? throw new InvalidOperationException($"'{button}' did not redirect to the client; page: {CurrentPage}: {CurrentPage?.Alert}");
    }

    /// <summary>
    /// Authorize → Create an account (with a new email unless given) → emailed code → Allow. Returns the redirect
    /// (code and state) to the client.
    /// </summary>
    public async Task<AuthorizationRedirect> AuthorizeNewMemberAsync(TestMember member, AuthorizeRequest? request = null, string? email = null)
    {
        email ??= NewEmail();
        await OpenAuthorizationAsync(request ?? new AuthorizeRequest());
        await CreateAccountAsync(member, email);
        await EnterMailedCodeAsync(email);
        return await DecideAsync(allow: true);
    }

    /// <summary>Authorize → Sign in with an existing account's email → emailed code → Allow.</summary>
    public async Task<AuthorizationRedirect> AuthorizeReturningMemberAsync(string email, AuthorizeRequest? request = null)
    {
        await OpenAuthorizationAsync(request ?? new AuthorizeRequest());
        await SignInAsync(email);
        await EnterMailedCodeAsync(email);
        return await DecideAsync(allow: true);
    }

    /// <summary>
    /// With the member of this session already signed in: authorize again (straight to consent) and allow or deny.
    /// The cheap way to get one more code.
    /// </summary>
    public async Task<AuthorizationRedirect> AuthorizeAgainAsync(AuthorizeRequest? request = null, bool allow = true)
    {
        var consent = await OpenAuthorizationAsync(request ?? new AuthorizeRequest());
        if (!consent.Forms.Any(f => f.Buttons.Any(b => b.Text == "Allow")))
            throw new InvalidOperationException($"Expected the consent page, got '{consent.Heading}' ({(int)consent.Status}): {consent.Alert}");
        return await DecideAsync(allow);
    }

    /// <summary>POSTs an authorization_code grant to the token endpoint, as the test client unless told otherwise.</summary>
    public async Task<TokenResponse> ExchangeCodeAsync(string code, string? redirectUri = null, string? codeVerifier = null,
        ClientAuthentication authentication = ClientAuthentication.ClientSecretPost, string? clientId = null, string? clientSecret = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri ?? _sandbox.Client.RedirectUris[0].AbsoluteUri,
        };
        if (codeVerifier is not null) form["code_verifier"] = codeVerifier;
        return await PostTokenAsync(form, clientId ?? _sandbox.Client.ClientId, clientSecret ?? _sandbox.Client.ClientSecret, authentication);
    }

    /// <summary>POSTs any form to the token endpoint with the given client authentication (none when id is null).</summary>
    public async Task<TokenResponse> PostTokenAsync(IReadOnlyDictionary<string, string> form, string? clientId, string? clientSecret,
        ClientAuthentication authentication = ClientAuthentication.ClientSecretPost)
    {
        var fields = form.ToDictionary();
        using var message = new HttpRequestMessage(HttpMethod.Post, _sandbox.Endpoints.TokenEndpoint);
        if (clientId is not null && authentication is ClientAuthentication.ClientSecretPost)
        {
            fields["client_id"] = clientId;
            if (clientSecret is not null) fields["client_secret"] = clientSecret;
        }
        else if (clientId is not null)
        {
            var credentials = $"{WebUtility.UrlEncode(clientId)}:{WebUtility.UrlEncode(clientSecret ?? "")}";
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }
        message.Content = new FormUrlEncodedContent(fields);
        using var response = await _http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonNode.Parse(text) as JsonObject
            ?? throw new InvalidOperationException($"The token endpoint answered {(int)response.StatusCode} without a JSON object.");
        return new TokenResponse(response.StatusCode, body, response.Headers, response.Content.Headers);
    }

    public static string NewEmail() => $"member-{Guid.NewGuid():N}@example.test";

    private HtmlPage Page => CurrentPage ?? throw new InvalidOperationException("No page is open yet; open the authorization URL first.");

    public async Task<HtmlPage> GetAsync(Uri url)
    {
        using var response = await _http.GetAsync(url);
        return await ReadAsync(url, response);
    }

    public async Task<HtmlPage> SubmitAsync(HtmlForm form, string buttonText)
    {
        var fields = form.Submission(buttonText);
        using var response = form.Method == "POST"
            ? await _http.PostAsync(form.Action, new FormUrlEncodedContent(fields))
            : await _http.GetAsync(QueryHelpers.AddQueryString(form.Action.AbsoluteUri, fields!));
        return await ReadAsync(form.Action, response);
    }

    /// <summary>Follows redirects within the sandbox; stops at one leading elsewhere (the client's redirect_uri).</summary>
    private async Task<HtmlPage> ReadAsync(Uri url, HttpResponseMessage response)
    {
        Redirect = null;
        for (var hops = 0; IsRedirect(response.StatusCode); hops++)
        {
            var location = new Uri(url, response.Headers.Location!);
            if (location.GetLeftPart(UriPartial.Authority) != _sandbox.Endpoints.BaseUrl.GetLeftPart(UriPartial.Authority))
            {
                Redirect = new AuthorizationRedirect(location);
                CurrentPage = new HtmlPage(location, response.StatusCode, "");
                return CurrentPage;
            }
            if (hops > 10) throw new InvalidOperationException($"Too many redirects from {url}.");
            url = location;
            response.Dispose();
            response = await _http.GetAsync(location);
        }
        CurrentPage = new HtmlPage(url, response.StatusCode, await response.Content.ReadAsStringAsync());
        response.Dispose();
        return CurrentPage;
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;

    public void Dispose() => _http.Dispose();
}
