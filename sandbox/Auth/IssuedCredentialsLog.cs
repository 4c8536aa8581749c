using DemoHealthPlan.Sandbox.Hosting;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>
/// Appends every credential the sandbox hands out (registered client secrets, authorization codes, access, id and
/// refresh tokens, verification codes, member emails) to the file <c>Sandbox:IssuedCredentialsLog</c> names, one
/// <c>kind&lt;TAB&gt;value</c> per line. It exists so that a client's leak test can search everything that client
/// wrote (reports, logs) for the real values of a run. Off unless set; the file holds live credentials, so point it
/// at a private temporary file only.
/// </summary>
public sealed class IssuedCredentialsLog
{
    private readonly string? _path;
    private readonly Lock _gate = new();

    public IssuedCredentialsLog(SandboxSettings settings)
    {
        _path = settings.IssuedCredentialsLog;
        foreach (var client in settings.Clients) Record("client secret", client.ClientSecret);
    }

    public void Record(string kind, string? value)
    {
        if (_path is null || string.IsNullOrEmpty(value)) return;
        lock (_gate) File.AppendAllText(_path, $"{kind}\t{value}\n");
    }

    internal void Register(OpenIddictServerBuilder server)
    {
        if (_path is null) return;
        server.AddEventHandler<ApplyAuthorizationResponseContext>(handler => handler
            .UseInlineHandler(context =>
            {
                Record("authorization code", context.Response.Code);
                return default;
            })
            .SetOrder(int.MinValue)
            .SetType(OpenIddictServerHandlerType.Custom));
        server.AddEventHandler<ApplyTokenResponseContext>(handler => handler
            .UseInlineHandler(context =>
            {
                Record("access token", context.Response.AccessToken);
                Record("id token", context.Response.IdToken);
                Record("refresh token", context.Response.RefreshToken);
                return default;
            })
            .SetOrder(int.MinValue)
            .SetType(OpenIddictServerHandlerType.Custom));
    }
}
