namespace DigitalInsurance.Conformance.Support.Checks;

/// <summary>
/// One verdict about the server, in the words of the rule it verifies. A failed check throws
/// <see cref="ConformanceFailure"/> with a message that starts by naming the rule.
/// </summary>
public static class Check
{
    public static void That(bool conforms, string rule, string expectation, string? observed = null)
    {
        if (!conforms) Fail(rule, expectation, observed);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Fail(string rule, string expectation, string? observed = null) =>
        throw new ConformanceFailure(observed is null ? $"[{rule}] {expectation}" : $"[{rule}] {expectation} Observed: {observed}");
}
