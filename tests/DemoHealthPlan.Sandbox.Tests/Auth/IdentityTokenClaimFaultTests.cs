using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>
/// The id_token's iat, azp and nonce on a clean sandbox, and with each fault that spoils exactly one of them (the
/// signature still verifies).
/// </summary>
[TestFixture]
public class IdentityTokenClaimFaultTests
{
    /// <summary>What a client checks of these claims: iat not in the future, azp the client, the nonce echoed.</summary>
    private sealed record Claims(bool IssuedNotInFuture, bool AzpIsClient, bool NonceEchoed, bool SignatureVerifies);

    private static readonly Claims AllKept = new(true, true, true, true);

    private static async Task<Claims> ObserveAsync(TestSandbox sandbox)
    {
        using var flow = sandbox.NewFlow();
        var email = SandboxFlow.NewEmail();
        var nonce = "nonce-" + Guid.NewGuid().ToString("N");
        var url = QueryHelpers.AddQueryString(flow.AuthorizeUrl(new AuthorizeRequest { Scope = "openid fhirUser patient/*.read" }).AbsoluteUri, "nonce", nonce);
        await flow.GetAsync(new Uri(url));
        await flow.CreateAccountAsync(TestMembers.JasonArgonaut, email);
        await flow.EnterMailedCodeAsync(email);
        var redirect = await flow.DecideAsync(allow: true);
        var token = await flow.ExchangeCodeAsync(redirect.Code!);
        var idToken = IdTokens.Read(token.IdToken!);
        var validation = await IdTokens.ValidateAsync(sandbox, token.IdToken!, sandbox.Client.ClientId);
        var now = sandbox.Clock.GetUtcNow();
        return new Claims(
            DateTimeOffset.FromUnixTimeSeconds(idToken.GetPayloadValue<long>("iat")) <= now.AddSeconds(5),
            idToken.TryGetPayloadValue<string>("azp", out var azp) && azp == sandbox.Client.ClientId,
            idToken.TryGetPayloadValue<string>("nonce", out var echoed) && echoed == nonce,
            validation.IsValid);
    }

    [Test, Description("A clean sandbox's id_token: iat not in the future, azp the client, the app's nonce echoed")]
    public async Task CleanSandbox_KeepsTheClaims()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.That(await ObserveAsync(sandbox), Is.EqualTo(AllKept));
    }

    [Test, FaultTest("idtoken-iat-in-future")]
    [Description("idtoken-iat-in-future moves iat (and exp with it) a day ahead; the token still verifies")]
    public async Task IssuedInFuture_SpoilsOnlyIat()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["idtoken-iat-in-future"]);
        Assert.That(await ObserveAsync(sandbox), Is.EqualTo(AllKept with { IssuedNotInFuture = false }));
    }

    [Test, FaultTest("idtoken-wrong-azp")]
    [Description("idtoken-wrong-azp names another party as azp; aud stays the client")]
    public async Task WrongAzp_SpoilsOnlyAzp()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["idtoken-wrong-azp"]);
        Assert.That(await ObserveAsync(sandbox), Is.EqualTo(AllKept with { AzpIsClient = false }));
    }

    [Test, FaultTest("idtoken-nonce-not-echoed")]
    [Description("idtoken-nonce-not-echoed leaves the nonce out")]
    public async Task NonceNotEchoed_SpoilsOnlyTheNonce()
    {
        await using var sandbox = await TestSandbox.StartAsync(faults: ["idtoken-nonce-not-echoed"]);
        Assert.That(await ObserveAsync(sandbox), Is.EqualTo(AllKept with { NonceEchoed = false }));
    }
}
