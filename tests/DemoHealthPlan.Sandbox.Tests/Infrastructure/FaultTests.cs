using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Infrastructure;

/// <summary>
/// Names the sandbox fault whose behaviour a test asserts. The names are read back through NUnit's own test discovery
/// (see <c>FaultCoverageTests</c>), so a fault in SandboxFaults.Known without such a test fails the build's tests.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class FaultTestAttribute(string fault) : PropertyAttribute(FaultTests.Property, fault);

public static class FaultTests
{
    /// <summary>The NUnit property holding the fault a test asserts.</summary>
    public const string Property = "SandboxFault";

    /// <summary>A case of a test parameterised by fault name, named after the fault and carrying it like <see cref="FaultTestAttribute"/>.</summary>
    public static TestCaseData Case(string fault) => new TestCaseData(fault).SetProperty(Property, fault).SetArgDisplayNames(fault);
}
