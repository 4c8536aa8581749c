using DigitalInsurance.Conformance.Support.Redaction;

namespace DigitalInsurance.Conformance.Support.Checks;

/// <summary>
/// One verdict about the server, in the words of the rule it verifies. A failed check throws
/// <see cref="ConformanceFailure"/> with a message that starts by naming the rule.
/// </summary>
/// <remarks>
/// <see cref="That"/> follows the requirement policy (<see cref="RequirementPolicy"/>): a <c>warn</c> rule that does not
/// hold is recorded as "Warning [rule] …" in the scenario's evidence and warning list and the scenario goes on; an
/// <c>off</c> rule is not judged (one note per scenario). Code after a warn-level check must therefore not rely on it
/// having held. <see cref="Fail"/> is for verdicts the scenario cannot continue past and always fails.
/// </remarks>
public static class Check
{
    private static readonly IReadOnlyCollection<string> NoTags = [];

    public static void That(bool conforms, string rule, string expectation, string? observed = null)
    {
        var scope = CheckScope.Current;
        var decision = (scope?.EffectivePolicy ?? RequirementPolicy.Current).Decide(rule, scope?.Tags ?? NoTags);
        switch (decision.Level)
        {
            case RequirementLevel.Off:
                scope?.RecordOff(rule, decision);
                return;
            case RequirementLevel.Warn when !conforms:
                Warn(scope, rule, Message(rule, expectation, observed), decision);
                return;
            case RequirementLevel.Required when !conforms:
                Fail(rule, expectation, observed);
                return;
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Fail(string rule, string expectation, string? observed = null) =>
        throw new ConformanceFailure(Message(rule, expectation, observed));

    private static string Message(string rule, string expectation, string? observed) =>
        observed is null ? $"[{rule}] {expectation}" : $"[{rule}] {expectation} Observed: {observed}";

    private static void Warn(CheckScope? scope, string rule, string message, RequirementDecision decision)
    {
        if (scope is not null)
            scope.RecordWarning(rule, message, decision);
        else
            // Outside a scenario (a unit test of support code) there is no evidence to add to: the test's output shows it.
            NUnit.Framework.TestContext.Progress.WriteLine(Secrets.Redact($"Warning {message} ({decision.Reason})"));
    }
}
