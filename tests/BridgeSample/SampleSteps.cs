using DigitalInsurance.Conformance.Support.Runner;
using NUnit.Framework;
using Reqnroll;

namespace BridgeSample;

/// <summary>Bindings for the sample features: each checks what it received, so a wrong argument fails its scenario.</summary>
[Binding]
public sealed class SampleSteps(ScenarioContext scenario)
{
    /// <summary>Set by the tests: the run start fails with this message, user-facing unless it starts with "bug:".</summary>
    public const string RunStartFailureVariable = "BRIDGE_SAMPLE_RUN_START_FAILS";

    [BeforeTestRun]
    public static void FailTheRunStartWhenAsked()
    {
        var message = Environment.GetEnvironmentVariable(RunStartFailureVariable);
        if (string.IsNullOrEmpty(message))
            return;
        if (message.StartsWith("bug:", StringComparison.Ordinal))
            throw new InvalidOperationException(message);
        throw new SampleHarnessSetupException(message);
    }

    [BeforeFeature("feature-start-fails")]
    public static void FailTheFeatureStart() =>
        throw new MailboxUnreachable("Mailbox imap.invalid:993 is unreachable. Check Mail:ImapHost.");

    [Given("the sandbox is running")]
    public void SandboxIsRunning() => Console.WriteLine("background: sandbox is running");

    [Given("these members:")]
    public void TheseMembers(DataTable members)
    {
        Assert.That(members.Header, Is.EqualTo(new[] { "name", "member id" }));
        scenario["members"] = members.Rows.Select(r => r["member id"]).ToList();
    }

    [When("the client asks for coverage with the body:")]
    public void AsksForCoverage(string body) => scenario["body"] = body;

    [Then("the binding saw {int} members and the body for {string}")]
    public void BindingSaw(int count, string memberId)
    {
        var members = (List<string>)scenario["members"];
        Assert.That(members, Has.Count.EqualTo(count));
        Assert.That(members[0], Is.EqualTo(memberId));
        Assert.That((string)scenario["body"], Is.EqualTo($$"""{"resourceType": "Parameters", "member": "{{memberId}}"}"""));
        Console.WriteLine($"table and doc string received: {string.Join(",", members)}");
    }

    [Given("a member with id {string} and postal code {string}")]
    public void AMember(string memberId, string postalCode)
    {
        scenario["member id"] = memberId;
        Console.WriteLine($"member {memberId} postal code {postalCode}");
    }

    [Then("the member id is {string}")]
    public void MemberIdIs(string memberId)
    {
        if (memberId != "payer")
            Assert.That(scenario["member id"], Is.EqualTo(memberId));
    }

    [Then("the coverage count is {int}")]
    public void CoverageCountIs(int expected) =>
        Assert.That(2, Is.EqualTo(expected), "coverage count for member 08-testmemid");

    [Given("a step that is not implemented yet")]
    public void NotImplementedYet() => throw new PendingStepException();

    [Given("a setting that is wrong")]
    public void ASettingThatIsWrong() =>
        throw new MailboxUnreachable("Setting 'Dic:ClientId' is missing. Set DIC_CLIENT_ID or TestRunParameters/Dic:ClientId.");
}

public sealed class SampleHarnessSetupException(string message) : Exception(message);

public sealed class MailboxUnreachable(string message) : Exception(message), IUserFacingError;
