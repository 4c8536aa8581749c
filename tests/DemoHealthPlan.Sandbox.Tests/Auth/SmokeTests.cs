using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Auth;

public class SmokeTests
{
    [Test]
    public async Task Whole_flow()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var token = await sandbox.AuthorizeAsync(TestMembers.JasonArgonaut);
        TestContext.Out.WriteLine(token.Body.ToJsonString());
        Assert.That(token.Patient, Is.EqualTo("jason-argonaut"));
    }
}
