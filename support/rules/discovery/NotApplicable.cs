namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// A scenario about something the payer may legitimately leave out (an optional capability, an optional extension) ends as
/// skipped, not failed, when the payer does leave it out: "not demonstrated" is not "non-conformant". The reason names
/// what is absent and the spec text that allows its absence, so the skip explains itself in TRX and Allure.
/// </summary>
public static class NotApplicable
{
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Skip(Requirement rule, string reason) =>
        throw new NUnit.Framework.IgnoreException($"Not applicable [{rule.Id}]: {reason}");
}
