using DemoHealthPlan.Sandbox.Hosting;
using Microsoft.AspNetCore.WebUtilities;

namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>The configured clients as the member-facing pages name them.</summary>
internal sealed class ClientDirectory(SandboxSettings settings)
{
    public string DisplayName(string? clientId) =>
        settings.Clients.FirstOrDefault(c => c.ClientId == clientId)?.DisplayName ?? "An app";

    /// <summary>The display name of the client in a pending authorization request given as a local URL.</summary>
    public string DisplayNameFromReturnUrl(string returnUrl)
    {
        var query = returnUrl.IndexOf('?') is var at and >= 0 ? returnUrl[at..] : "";
        return DisplayName(QueryHelpers.ParseQuery(query).TryGetValue("client_id", out var id) ? id.ToString() : null);
    }
}
