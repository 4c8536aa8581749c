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
/// One per scenario, made from the scenario's <see cref="CheckScope"/> and handed by Reqnroll's context injection to the
/// rule classes a step class asks for (rules are <c>sealed class XRules(Check check)</c>); a test of a rule makes its own.
/// </remarks>
public sealed class Check(CheckScope scope)
{
    /// <summary>The scenario these checks report to.</summary>
    public CheckScope Scope { get; } = scope;

    public void That(bool conforms, Requirement rule, string expectation, string? observed = null)
    {
        var decision = Scope.Decide(rule);
        switch (decision.Level)
        {
            case RequirementLevel.Off:
                Scope.RecordOff(rule.Id, decision);
                return;
            case RequirementLevel.Warn when !conforms:
                Scope.RecordWarning(rule.Id, Message(rule, expectation, observed), decision);
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
    public bool Holds(bool conforms, Requirement rule, string expectation, string? observed = null)
    {
        That(conforms, rule, expectation, observed);
        return conforms;
    }

    /// <summary>
    /// After a <see cref="Holds"/> that returned false: notes in the scenario's evidence what is left unchecked and why,
    /// so a scenario that goes on under a warn (or off) rule shows what it did not look at.
    /// </summary>
    public void NotChecked(Requirement rule, string what) =>
        Scope.Evidence.AddText($"Not checked [{rule.Id}]", "text/plain", "txt", NotCheckedNote(rule, what));

    /// <summary>
    /// After a <see cref="Holds"/> that returned false, when nothing the scenario is about can be checked without it: ends
    /// the scenario as skipped, not failed (the policy does not count the rule as required), naming the rule and what was
    /// left unchecked.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public void CannotContinue(Requirement rule, string what)
    {
        NotChecked(rule, what);
        throw new NUnit.Framework.IgnoreException(NotCheckedNote(rule, what));
    }

    /// <summary>
    /// For a rule the payer can only show through its data (Must Support): evidence it did not show is "not demonstrated",
    /// not a failure. Required by the policy (e.g. <c>c4dic-must-support=required</c>): fails as <see cref="That"/> does;
    /// off: one note; otherwise the scenario ends as skipped, the note in its evidence and as its reason.
    /// </summary>
    public void NotDemonstrated(Requirement rule, string expectation, string observed)
    {
        var decision = Scope.Decide(rule);
        switch (decision.Level)
        {
            case RequirementLevel.Required:
                Fail(rule, expectation, observed);
                return;
            case RequirementLevel.Off:
                Scope.RecordOff(rule.Id, decision);
                return;
        }
        var note = $"Not demonstrated [{rule.Id}]: {expectation} Observed: {observed} Not counted as a failure: the member's data " +
                   $"does not show it ({decision.Reason}); the policy entry {rule.Id}=required makes it fail.";
        Scope.Evidence.AddText($"Not demonstrated [{rule.Id}]", "text/plain", "txt", note);
        throw new NUnit.Framework.IgnoreException(note);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public void Fail(Requirement rule, string expectation, string? observed = null) =>
        throw new ConformanceFailure(Message(rule, expectation, observed)) { Expectation = expectation, Observed = observed };

    private string NotCheckedNote(Requirement rule, string what)
    {
        var decision = Scope.Decide(rule);
        var counted = decision.Level == RequirementLevel.Off ? "which the policy leaves unjudged" : "which the policy reports as a warning, not a failure";
        return $"Not checked: {what}, because [{rule.Id}] did not hold, {counted} ({decision.Reason}).";
    }

    private static string Message(Requirement rule, string expectation, string? observed) =>
        observed is null ? $"[{rule.Id}] {expectation}" : $"[{rule.Id}] {expectation} Observed: {observed}";
}
