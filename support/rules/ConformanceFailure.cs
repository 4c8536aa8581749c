using System.Text.RegularExpressions;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// The server under test broke a rule. Derives from NUnit's assertion exception so runners and reports
/// count it as a failed test (a non-conformance), not as a broken one (a harness or infrastructure error).
/// </summary>
/// <remarks>
/// A payer's non-conformance is a verdict, not a harness fault: it carries no .NET stack trace, so NUnit, TRX and Allure
/// show the rule's message alone. Harness errors (every other exception) keep their trace.
/// </remarks>
public sealed partial class ConformanceFailure(string message) : NUnit.Framework.AssertionException(message)
{
    /// <summary>What the rule requires, where the check states it.</summary>
    public string? Expectation { get; init; }

    /// <summary>What the server did instead, where the check observed it.</summary>
    public string? Observed { get; init; }

    public override string StackTrace => "";

    /// <summary>
    /// An earlier scenario's verdict reported again in this one: "[rule] {context}: {the verdict after its rule}", so the
    /// message still starts with the rule it names, like every failure's.
    /// </summary>
    public static ConformanceFailure Repeated(ConformanceFailure earlier, string context)
    {
        var match = LeadingRule().Match(earlier.Message);
        return new ConformanceFailure(match.Success
            ? $"[{match.Groups[1].Value}] {context}: {earlier.Message[match.Length..]}"
            : $"{context}: {earlier.Message}");
    }

    [GeneratedRegex(@"^\[([a-z0-9]+(?:-[a-z0-9]+)*)\]\s*")]
    private static partial Regex LeadingRule();
}
