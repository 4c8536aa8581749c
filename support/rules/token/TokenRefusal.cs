using DigitalInsurance.Conformance.Support.OAuth;
using System.Net;
using DigitalInsurance.Conformance.Support.Configuration;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>How a token endpoint answered a request it had to refuse, judged against RFC 6749 section 5.2.</summary>
public sealed record TokenRefusalVerdict(bool Conforms, string Expected, string Observed);

/// <summary>
/// RFC 6749 section 5.2: an error response is 400 (Bad Request) with a JSON object whose "error" names the reason,
/// except invalid_client, which may be 401, and must be 401 with a WWW-Authenticate header when the client
/// authenticated with the Authorization header (client_secret_basic). A verdict, not a check: the rule using it decides
/// which requirement a refusal counts for.
/// </summary>
public static class TokenRefusal
{
    public static TokenRefusalVerdict Judge(TokenResponse response, string expectedError, TokenAuthMethod authMethod)
    {
        var headerAuthentication = authMethod == TokenAuthMethod.ClientSecretBasic;
        var clientError = expectedError == "invalid_client";
        HttpStatusCode[] allowedStatus = clientError
            ? headerAuthentication ? [HttpStatusCode.Unauthorized] : [HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized]
            : [HttpStatusCode.BadRequest];
        var needsChallenge = clientError && headerAuthentication;

        var expected = $"HTTP {string.Join(" or ", allowedStatus.Select(s => (int)s))} with a JSON body whose error is \"{expectedError}\""
                       + (needsChallenge ? " and a WWW-Authenticate header (the client authenticated with the Authorization header)" : "")
                       + ", and no access_token";

        var conforms = allowedStatus.Contains(response.StatusCode)
                       && response.IsJsonObject
                       && response.Error == expectedError
                       && response.AccessToken is null
                       && (!needsChallenge || response.Header("WWW-Authenticate") is not null);
        return new TokenRefusalVerdict(conforms, expected, Describe(response, needsChallenge));
    }

    /// <summary>One line about a token response, without any token in it.</summary>
    public static string Describe(TokenResponse response, bool mentionChallenge = false)
    {
        var parts = new List<string> { $"HTTP {(int)response.StatusCode}" };
        if (!response.IsJsonObject) parts.Add("a body that is not a JSON object");
        if (response.AccessToken is not null) parts.Add("an access_token (the request was granted)");
        if (response.Error is { } error)
            parts.Add($"error \"{error}\"" + (response.ErrorDescription is { } description ? $" ({description})" : ""));
        else if (response.IsJsonObject && response.AccessToken is null)
            parts.Add("no error field");
        if (mentionChallenge) parts.Add(response.Header("WWW-Authenticate") is { } challenge ? $"WWW-Authenticate: {challenge}" : "no WWW-Authenticate header");
        return string.Join(", ", parts);
    }
}
