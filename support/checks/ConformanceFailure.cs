namespace DigitalInsurance.Conformance.Support.Checks;

/// <summary>
/// The server under test broke a rule. Derives from NUnit's assertion exception so runners and reports
/// count it as a failed test (a non-conformance), not as a broken one (a harness or infrastructure error).
/// </summary>
public sealed class ConformanceFailure(string message) : NUnit.Framework.AssertionException(message);
