using DemoHealthPlan.Sandbox.Fhir;
using DemoHealthPlan.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DemoHealthPlan.Sandbox.Tests.Infrastructure;

/// <summary>
/// A running sandbox (in-process, loopback, free port, fresh temporary state) with an SMTP capture receiving its
/// verification mail. Drive members through it with <see cref="NewFlow"/> or the one-call <see cref="AuthorizeAsync"/>.
/// <code>
/// await using var sandbox = await TestSandbox.StartAsync();
/// TokenResponse token = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut);
/// </code>
/// </summary>
public sealed class TestSandbox : IAsyncDisposable
{
    private TestSandbox(SandboxServer server, SmtpCapture mail)
    {
        Server = server;
        Mail = mail;
    }

    public SandboxServer Server { get; }
    public SandboxEndpoints Endpoints => Server.Endpoints;
    public SandboxClient Client => Server.Endpoints.TestClient;
    public SmtpCapture Mail { get; }

    /// <summary>The sandbox's clock, through its start API as the harness uses it; advance it to expire codes.</summary>
    public SandboxClock Clock => Server.Clock;

    /// <param name="faults">Fault names to switch on (see SandboxFaults.Known).</param>
    /// <param name="settings">Raw "Sandbox:..." configuration entries, applied last.</param>
    /// <param name="members">A member directory to use instead of the FHIR data set's (null: the data set's members).</param>
    /// <param name="smtpPort">Send mail to this port instead of the capture (e.g. a closed one).</param>
    /// <param name="codeLifetime">Authorization code lifetime (Sandbox:CodeLifetimeSeconds).</param>
    /// <param name="stateFolder">Null: a fresh temporary folder, deleted on dispose.</param>
    /// <param name="services">More test registrations, applied after the sandbox's own.</param>
    public static async Task<TestSandbox> StartAsync(
        IEnumerable<string>? faults = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        IMemberDirectory? members = null,
        int? smtpPort = null,
        TimeSpan? codeLifetime = null,
        string? stateFolder = null,
        Action<IServiceCollection>? services = null)
    {
        var mail = await SmtpCapture.StartAsync();
        try
        {
            var server = await SandboxServer.StartAsync(new SandboxStartOptions
            {
                Faults = faults?.ToList() ?? [],
                SmtpHost = mail.Host,
                SmtpPort = smtpPort ?? mail.Port,
                CodeLifetime = codeLifetime,
                StateFolder = stateFolder,
                Settings = settings ?? new Dictionary<string, string?>(),
                ConfigureTestServices = registrations =>
                {
                    if (members is not null) registrations.Replace(ServiceDescriptor.Singleton<IMemberDirectory>(members));
                    services?.Invoke(registrations);
                },
            });
            return new TestSandbox(server, mail);
        }
        catch
        {
            await mail.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new browser session (own cookies) against this sandbox.</summary>
    public SandboxFlow NewFlow() => new(this);

    /// <summary>
    /// The whole standalone launch for <paramref name="member"/> in a fresh browser session: authorize, create an account
    /// (new email), verify the emailed code, allow, and exchange the code with the test client (client_secret_post).
    /// </summary>
    /// <param name="scope">Null leaves the scope parameter out (the sandbox then grants patient/*.read).</param>
    public async Task<TokenResponse> AuthorizeAsync(TestMember member, string? scope = "patient/*.read")
    {
        using var flow = NewFlow();
        var authorization = await flow.AuthorizeNewMemberAsync(member, new AuthorizeRequest { Scope = scope });
        if (authorization.Code is null)
            throw new InvalidOperationException($"Authorization for {member} ended without a code: {authorization.Error} {authorization.ErrorDescription}");
        var token = await flow.ExchangeCodeAsync(authorization.Code);
        if (token.AccessToken is null)
            throw new InvalidOperationException($"The token request for {member} failed: {(int)token.Status} {token.Error} {token.ErrorDescription}");
        return token;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Mail.DisposeAsync();
    }
}
