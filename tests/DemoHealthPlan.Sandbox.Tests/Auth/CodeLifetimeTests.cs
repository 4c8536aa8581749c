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
        await using var sandbox = await TestSandbox.StartAsync(codeLifetime: CodeLifetime);
        using var flow = sandbox.NewFlow();
        var early = await flow.AuthorizeNewMemberAsync(TestMembers.JasonArgonaut);
        var late = await flow.AuthorizeAgainAsync();

        sandbox.Clock.Advance(CodeLifetime - TimeSpan.FromSeconds(5));
        var withinLifetime = await flow.ExchangeCodeAsync(early.Code!);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(10));
        var afterLifetime = await flow.ExchangeCodeAsync(late.Code!);

        Assert.That(withinLifetime.Status, Is.EqualTo(HttpStatusCode.OK), withinLifetime.ToString());
        Assert.That((afterLifetime.Status, afterLifetime.Error), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_grant")));
    }
}

/// <summary>The start API's clock only moves forward, so no host can make an expired code young again.</summary>
[TestFixture]
public class SandboxClockTests
{
    [Test, Description("Advancing moves the sandbox's time by exactly that much; a negative step is refused")]
    public void Advance_MovesForwardOnly()
    {
        var clock = new DemoHealthPlan.Sandbox.Hosting.SandboxClock();
        clock.Advance(TimeSpan.FromMinutes(6));

        Assert.That(clock.Offset, Is.EqualTo(TimeSpan.FromMinutes(6)));
        Assert.That(() => clock.Advance(TimeSpan.FromSeconds(-1)), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(clock.Offset, Is.EqualTo(TimeSpan.FromMinutes(6)));
    }
}
