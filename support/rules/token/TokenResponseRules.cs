using DigitalInsurance.Conformance.Support.OAuth;
using System.Net;
using System.Text.Json;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>What the token endpoint's answer to a valid code exchange must be (SMART App Launch, RFC 6749 section 5.1).</summary>
public sealed class TokenResponseRules(Check check)
{
    public void RequireOkJson(TokenResponse token)
    {
        check.That(token.StatusCode == HttpStatusCode.OK, Requirements.SmartTokenResponse, "The token endpoint must answer a valid code exchange with 200 OK.",
            $"HTTP {(int)token.StatusCode}");
        check.That(token.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true && token.IsJsonObject,
            Requirements.SmartTokenResponse, "The token response must be a JSON object labelled application/json.", $"Content-Type {token.ContentType ?? "(none)"}");
    }

    public void RequireAccessToken(TokenResponse token) =>
        check.That(!string.IsNullOrEmpty(token.AccessToken), Requirements.SmartTokenResponse, "The token response must carry a non-empty access_token string.");

    public void RequireTokenType(TokenResponse token, string expected) =>
        check.That(string.Equals(token.TokenType, expected, StringComparison.OrdinalIgnoreCase), Requirements.SmartTokenTypeBearer,
            $"The token response's token_type must be \"{expected}\" (compared case-insensitively).", $"token_type {Describe(token.TokenType)}");

    public void RequireExpiresInSeconds(TokenResponse token)
    {
        var kind = token.FieldKind("expires_in");
        check.That(kind is JsonValueKind.Number or JsonValueKind.Undefined, Requirements.SmartTokenResponse,
            "When the token response has expires_in, it must be a JSON number of seconds (RFC 6749 section 5.1).", $"expires_in is a JSON {kind}");
        // SMART: "Recommended", so its absence is a warning unless the policy setting says otherwise.
        check.That(kind != JsonValueKind.Undefined, Requirements.SmartTokenExpiresIn,
            "The token response should carry expires_in, the lifetime in seconds of the access token.", "expires_in is absent");
    }

    public void RequireScope(TokenResponse token) =>
        check.That(!string.IsNullOrWhiteSpace(token.Scope), Requirements.SmartTokenResponse,
            "The token response must list the scope granted to the app (SMART App Launch: scope is required).");

    public void RequirePatientInContext(TokenResponse token) =>
        check.That(!string.IsNullOrWhiteSpace(token.Patient), Requirements.SmartTokenPatientContext,
            "A standalone launch with patient/ scopes must return the patient in context as \"patient\" in the token response.");

    public void RequireHeader(TokenResponse token, string header, string value) =>
        check.That(token.Header(header)?.Contains(value, StringComparison.OrdinalIgnoreCase) == true, Requirements.SmartTokenNoStore,
            $"The token response must carry the header {header}: {value} (RFC 6749 section 5.1).",
            $"{header}: {token.Header(header) ?? "(absent)"}");

    private string Describe(string? value) => value is null ? "absent" : $"\"{value}\"";
}
