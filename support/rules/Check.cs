using DigitalInsurance.Conformance.Support.Redaction;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// One verdict about the server, in the words of the rule it verifies. A failed check throws
/// <see cref="ConformanceFailure"/> with a message that starts by naming the rule.
/// </summary>
/// <remarks>
/// <see cref="That"/> follows the requirement policy (<see cref="RequirementPolicy"/>): a <c>warn</c> rule that does not
/// hold is recorded as "Warning [rule] …" in the scenario's evidence and warning list and the scenario goes on; an
/// <c>off</c> rule is not judged (one note per scenario). Code after a warn-level check must therefore not rely on it
/// having held: code that needs what a check requires asks <see cref="Holds"/> and, when it did not hold, leaves out what
/// depends on it (<see cref="NotChecked"/>) or ends the scenario as skipped (<see cref="CannotContinue"/>). <see cref="Fail"/>
/// is for verdicts the scenario cannot continue past and always fails.
/// </remarks>
public static class Check
{
    private static readonly IReadOnlyCollection<string> NoTags = [];

    public static void That(bool conforms, Requirement rule, string expectation, string? observed = null)
    {
        var scope = CheckScope.Current;
        var decision = CheckScope.PolicyOf(scope).Decide(rule, scope?.Tags ?? NoTags);
        switch (decision.Level)
        {
            case RequirementLevel.Off:
                scope?.RecordOff(rule.Id, decision);
                return;
            case RequirementLevel.Warn when !conforms:
                Warn(scope, rule, Message(rule, expectation, observed), decision);
                return;
            case RequirementLevel.Required when !conforms:
                Fail(rule, expectation, observed);
                return;
        }
    }

    /// <summary>
    /// <see cref="That"/>, telling the caller whether it held. False only when the policy (warn, off) let the scenario go
    /// on without it: the caller must then leave out what depends on it, saying so (<see cref="NotChecked"/>,
    /// <see cref="CannotContinue"/>), never use a value the check was there to guarantee.
    /// </summary>
    public static bool Holds(bool conforms, Requirement rule, string expectation, string? observed = null)
    {
        That(conforms, rule, expectation, observed);
        return conforms;
    }

    /// <summary>
    /// After a <see cref="Holds"/> that returned false: notes in the scenario's evidence what is left unchecked and why,
    /// so a scenario that goes on under a warn (or off) rule shows what it did not look at.
    /// </summary>
    public static void NotChecked(Requirement rule, string what)
    {
        var scope = CheckScope.Current;
        var note = NotCheckedNote(scope, rule, what);
        if (scope is not null)
            scope.Evidence.AddText($"Not checked [{rule.Id}]", "text/plain", "txt", note);
        else
            NUnit.Framework.TestContext.Progress.WriteLine(Secrets.Redact(note));
    }

    /// <summary>
    /// After a <see cref="Holds"/> that returned false, when nothing the scenario is about can be checked without it: ends
    /// the scenario as skipped, not failed (the policy does not count the rule as required), naming the rule and what was
    /// left unchecked.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void CannotContinue(Requirement rule, string what)
    {
        NotChecked(rule, what);
        throw new NUnit.Framework.IgnoreException(NotCheckedNote(CheckScope.Current, rule, what));
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Fail(Requirement rule, string expectation, string? observed = null) =>
        throw new ConformanceFailure(Message(rule, expectation, observed)) { Expectation = expectation, Observed = observed };

    private static string NotCheckedNote(CheckScope? scope, Requirement rule, string what)
    {
        var decision = CheckScope.PolicyOf(scope).Decide(rule, scope?.Tags ?? NoTags);
        var counted = decision.Level == RequirementLevel.Off ? "which the policy leaves unjudged" : "which the policy reports as a warning, not a failure";
        return $"Not checked: {what}, because [{rule.Id}] did not hold, {counted} ({decision.Reason}).";
    }

    private static string Message(Requirement rule, string expectation, string? observed) =>
        observed is null ? $"[{rule.Id}] {expectation}" : $"[{rule.Id}] {expectation} Observed: {observed}";

    private static void Warn(CheckScope? scope, Requirement rule, string message, RequirementDecision decision)
    {
        if (scope is not null)
            scope.RecordWarning(rule.Id, message, decision);
        else
            // Outside a scenario (a unit test of support code) there is no evidence to add to: the test's output shows it.
            NUnit.Framework.TestContext.Progress.WriteLine(Secrets.Redact($"Warning {message} ({decision.Reason})"));
    }
}
