using System.Net;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

/// <summary>Authorization codes live Sandbox:CodeLifetimeSeconds; the sandbox's clock is moved instead of waiting.</summary>
[TestFixture]
public class CodeLifetimeTests
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromSeconds(60);

    [Test, Description("A code exchanged within its lifetime works; after it, the exchange is 400 invalid_grant")]
    public async Task Code_ExpiresAfterCodeLifetime()
    {
        await using var sandbox = await TestSandbox.StartAsync(controlTime: true, codeLifetime: CodeLifetime);
        using var flow = sandbox.NewFlow();
        var early = await flow.AuthorizeNewMemberAsync(TestMembers.JasonArgonaut);
        var late = await flow.AuthorizeAgainAsync();

        sandbox.Clock!.Advance(CodeLifetime - TimeSpan.FromSeconds(5));
        var withinLifetime = await flow.ExchangeCodeAsync(early.Code!);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(10));
        var afterLifetime = await flow.ExchangeCodeAsync(late.Code!);

        Assert.That(withinLifetime.Status, Is.EqualTo(HttpStatusCode.OK), withinLifetime.ToString());
        Assert.That((afterLifetime.Status, afterLifetime.Error), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_grant")));
    }
}
