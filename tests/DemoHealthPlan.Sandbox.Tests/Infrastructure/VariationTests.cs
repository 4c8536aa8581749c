using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Infrastructure;

/// <summary>
/// Names the sandbox variation whose behaviour a test asserts. The names are read back through NUnit's own test discovery
/// (see <c>VariationCoverageTests</c>), so a variation in SandboxVariations.Known without such a test fails the tests.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class VariationTestAttribute(string variation) : PropertyAttribute(VariationTests.Property, variation);

public static class VariationTests
{
    /// <summary>The NUnit property holding the variation a test asserts.</summary>
    public const string Property = "SandboxVariation";

    /// <summary>Sandbox settings that switch the given variations on, for <c>TestSandbox.StartAsync(settings: ...)</c>.</summary>
    public static IReadOnlyDictionary<string, string?> Settings(params string[] variations) =>
        new Dictionary<string, string?> { ["Sandbox:Variations"] = string.Join(",", variations) };
}
