using System.Net;
using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Hosting;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>
/// Each authorization-server fault breaks exactly the rule it names: the same probes run against a sandbox with the
/// fault on, and every observation but that one must match a clean sandbox's.
/// </summary>
[TestFixture]
public class AuthFaultTests
{
    private static readonly Dictionary<string, Func<OAuthRules, OAuthRules>> Faults = new()
    {
        ["state-not-echoed"] = r => r with { StateEchoed = false },
        ["code-reusable"] = r => r with { CodeSingleUse = false },
        ["code-never-expires"] = r => r with { CodeExpires = false },
        ["redirect-uri-not-checked"] = r => r with { RedirectUriChecked = false },
        ["client-secret-not-checked"] = r => r with { ClientSecretChecked = false },
        ["token-missing-patient"] = r => r with { PatientInTokenResponse = false },
        ["token-type-not-bearer"] = r => r with { TokenTypeBearer = false },
        ["token-cache-headers-missing"] = r => r with { CacheHeadersPresent = false },
        ["idtoken-wrong-audience"] = r => r with { IdTokenAudienceIsClient = false },
        ["idtoken-bad-signature"] = r => r with { IdTokenSignatureVerifies = false },
        // The probe's token names the member's own patient only when enrollment tied the account to that member.
        ["patient-context-other-member"] = r => r with { PatientInTokenResponse = false },
    };

    /// <summary>The faults whose rules these probes observe; the FHIR battery covers the rest.</summary>
    internal static IEnumerable<string> FaultsInTheBattery => Faults.Keys;

    private static IEnumerable<TestCaseData> FaultNames => Faults.Keys.Select(FaultTests.Case);

    [Test, Description("A clean sandbox keeps every rule the probes observe")]
    public async Task CleanSandbox_KeepsEveryRule()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.That(await OAuthRules.ObserveAsync(sandbox), Is.EqualTo(OAuthRules.AllKept));
    }

    [TestCaseSource(nameof(FaultNames))]
    [Description("The fault changes the behaviour it names and nothing else the probes observe")]
    public async Task Fault_BreaksOnlyItsRule(string fault)
    {
        Assert.That(SandboxFaults.Known, Does.ContainKey(fault));
        await using var sandbox = await TestSandbox.StartAsync(faults: [fault]);
        Assert.That(await OAuthRules.ObserveAsync(sandbox), Is.EqualTo(Faults[fault](OAuthRules.AllKept)));
    }

    [Test, FaultTest("state-not-echoed")]
    [Description("state-not-echoed spoils the state of an error redirect too: Deny still answers access_denied, with another state")]
    public async Task StateNotEchoed_AlsoOnTheAccessDeniedRedirect()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["state-not-echoed"]);
        using var flow = sandbox.NewFlow();
        var request = new AuthorizeRequest();
        var email = SandboxFlow.NewEmail();
        await flow.OpenAuthorizationAsync(request);
        await flow.CreateAccountAsync(TestMembers.JasonArgonaut, email);
        await flow.EnterMailedCodeAsync(email);

        var denied = await flow.DecideAsync(allow: false);

        Assert.That(denied.Target, Is.EqualTo(sandbox.Client.RedirectUris[0].AbsoluteUri));
        Assert.That((denied.Error, denied.Code), Is.EqualTo(("access_denied", (string?)null)));
        Assert.That(denied.State, Is.Not.Empty.And.Not.EqualTo(request.State));
    }

    [Test, FaultTest("client-secret-not-checked")]
    [Description("client-secret-not-checked accepts any secret, but a confidential client must still send one and be registered")]
    public async Task ClientSecretNotChecked_AcceptsAWrongSecretButNotAMissingOne()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["client-secret-not-checked"]);
        using var flow = sandbox.NewFlow();
        await flow.AuthorizeNewMemberAsync(TestMembers.JasonArgonaut);
        var clientId = sandbox.Client.ClientId;
        var redirectUri = sandbox.Client.RedirectUris[0].AbsoluteUri;
        async Task<Dictionary<string, string>> FreshCodeGrant() => new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = (await flow.AuthorizeAgainAsync()).Code!,
            ["redirect_uri"] = redirectUri,
        };

        foreach (var authentication in new[] { ClientAuthentication.ClientSecretPost, ClientAuthentication.ClientSecretBasic })
        {
            var wrongSecret = await flow.PostTokenAsync(await FreshCodeGrant(), clientId, "not-the-secret", authentication);
            Assert.That(wrongSecret.Status, Is.EqualTo(HttpStatusCode.OK), $"{authentication} with a wrong secret: {wrongSecret}");
            Assert.That(wrongSecret.AccessToken, Is.Not.Empty);
        }

        var noSecret = await flow.PostTokenAsync(await FreshCodeGrant(), clientId, clientSecret: null);
        Assert.That((noSecret.Status, noSecret.Error), Is.EqualTo((HttpStatusCode.Unauthorized, "invalid_client")), "no client_secret at all");
        var unknownClient = await flow.PostTokenAsync(await FreshCodeGrant(), "no-such-client", "not-the-secret");
        Assert.That((unknownClient.Status, unknownClient.Error), Is.EqualTo((HttpStatusCode.Unauthorized, "invalid_client")), "an unregistered client");
    }

    [Test, Description("An unknown fault name stops the sandbox from starting, with a message listing the known ones")]
    public void UnknownFault_IsAStartupError()
    {
        var error = Assert.ThrowsAsync<SandboxConfigurationException>(() =>
            SandboxServer.StartAsync(new SandboxStartOptions { Faults = ["state-not-echoed", "no-such-fault"] }));
        Assert.That(error!.Message, Does.Contain("no-such-fault").And.Contain("state-not-echoed"));
    }

    [Test, Description("An unknown variation name stops the sandbox from starting, naming it and the setting to fix")]
    public void UnknownVariation_IsAStartupError()
    {
        var error = Assert.ThrowsAsync<SandboxConfigurationException>(() =>
            SandboxServer.StartAsync(new SandboxStartOptions { Variations = ["no-such-variation"] }));
        Assert.That(error!.Message, Does.Contain("no-such-variation").And.Contain("Sandbox:Variations"));
    }
}

/// <summary>What the probes see of each OAuth rule a fault can break (true = the rule is kept).</summary>
internal sealed record OAuthRules(
    bool StateEchoed,
    bool CodeSingleUse,
    bool CodeExpires,
    bool RedirectUriChecked,
    bool ClientSecretChecked,
    bool PatientInTokenResponse,
    bool TokenTypeBearer,
    bool CacheHeadersPresent,
    bool IdTokenAudienceIsClient,
    bool IdTokenSignatureVerifies)
{
    public static OAuthRules AllKept { get; } = new(true, true, true, true, true, true, true, true, true, true);

    /// <summary>Runs one probe per rule, each with its own fresh code, against a sandbox whose clock it advances.</summary>
    public static async Task<OAuthRules> ObserveAsync(TestSandbox sandbox)
    {
        using var flow = sandbox.NewFlow();
        var request = new AuthorizeRequest { Scope = "openid fhirUser patient/*.read" };
        var authorized = await flow.AuthorizeNewMemberAsync(TestMembers.JasonArgonaut, request);

        var token = await flow.ExchangeCodeAsync(authorized.Code!);
        Assert.That(token.Status, Is.EqualTo(HttpStatusCode.OK), $"the plain exchange works: {token}");
        var reuse = await flow.ExchangeCodeAsync(authorized.Code!);
        var idTokenCheck = await IdTokens.ValidateAsync(sandbox, token.IdToken!, audience: null);

        var otherRedirect = await flow.ExchangeCodeAsync((await flow.AuthorizeAgainAsync()).Code!, redirectUri: "https://dic-conformance.example/other");
        var wrongSecret = await flow.ExchangeCodeAsync((await flow.AuthorizeAgainAsync()).Code!, clientSecret: "not-the-secret");

        var lateCode = (await flow.AuthorizeAgainAsync()).Code!;
        sandbox.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30));
        var late = await flow.ExchangeCodeAsync(lateCode);

        return new OAuthRules(
            StateEchoed: authorized.State == request.State,
            CodeSingleUse: reuse is { Status: HttpStatusCode.BadRequest, Error: "invalid_grant" },
            CodeExpires: late is { Status: HttpStatusCode.BadRequest, Error: "invalid_grant" },
            RedirectUriChecked: otherRedirect is { Status: HttpStatusCode.BadRequest, Error: "invalid_grant" },
            ClientSecretChecked: wrongSecret is { Status: HttpStatusCode.Unauthorized, Error: "invalid_client" },
            PatientInTokenResponse: token.Patient == "jason-argonaut",
            TokenTypeBearer: string.Equals(token.TokenType, "Bearer", StringComparison.OrdinalIgnoreCase),
            CacheHeadersPresent: token.Headers.CacheControl?.NoStore == true && token.Headers.Pragma.Any(p => p.Name == "no-cache"),
            IdTokenAudienceIsClient: IdTokens.Read(token.IdToken!).Audiences.SequenceEqual([sandbox.Client.ClientId]),
            IdTokenSignatureVerifies: idTokenCheck.IsValid);
    }
}
