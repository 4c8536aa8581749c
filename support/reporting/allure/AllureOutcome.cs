using System.Reflection;
using Reqnroll;

namespace DigitalInsurance.Conformance.Support.Reporting;

/// <summary>
/// Allure status of an exception: the server broke a rule (failed) or the harness could not judge (broken).
/// Assertion failures — NUnit assertions and <c>Checks.ConformanceFailure</c>, which derives from them, or any type
/// named *ConformanceFailure — are "failed"; NUnit ignore/inconclusive are "skipped"; everything else is "broken".
/// </summary>
internal static class AllureOutcome
{
    public static (string Status, AllureStatusDetails Details) Of(Exception exception)
    {
        exception = Unwrap(exception);
        var status = StatusOf(exception);
        var message = status == AllureStatus.Failed || status == AllureStatus.Skipped ? exception.Message : Chain(exception);
        // A payer's non-conformance has no stack trace to show (ConformanceFailure hides it), nor has an error written for the
        // person running the suite (a setting to fix, a refused enrollment: its message is the whole story, as in TRX); any
        // other harness error keeps its trace.
        var trace = string.IsNullOrEmpty(exception.StackTrace) || Runner.UserFacingErrors.Find(exception) is not null ? null : exception.ToString();
        return (status, new AllureStatusDetails(message, trace, Text(exception, "Expectation"), Text(exception, "Observed")));
    }

    /// <summary>A string property of a ConformanceFailure (read by name, as its type is matched by name too).</summary>
    private static string? Text(Exception exception, string property) =>
        exception.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)?.GetValue(exception) as string;

    public static (string Status, AllureStatusDetails Details) Of(ScenarioExecutionStatus status, Exception? error, string subject)
    {
        return status switch
        {
            ScenarioExecutionStatus.OK => (AllureStatus.Passed, new AllureStatusDetails(null, null)),
            ScenarioExecutionStatus.Skipped => (AllureStatus.Skipped, new AllureStatusDetails(error?.Message, null)),
            ScenarioExecutionStatus.StepDefinitionPending => (AllureStatus.Broken, new AllureStatusDetails(
                $"Pending: the step definition of \"{subject}\" is not implemented yet.", error?.ToString())),
            ScenarioExecutionStatus.UndefinedStep => (AllureStatus.Broken, new AllureStatusDetails(
                $"Undefined: no step definition matches \"{subject}\".", null)),
            _ when error is not null => Of(error),
            _ => (AllureStatus.Broken, new AllureStatusDetails($"{status}: \"{subject}\" failed without an exception.", null)),
        };
    }

    private static string StatusOf(Exception exception)
    {
        if (exception is NUnit.Framework.IgnoreException or NUnit.Framework.InconclusiveException) return AllureStatus.Skipped;
        if (exception is NUnit.Framework.SuccessException) return AllureStatus.Passed;
        if (exception is NUnit.Framework.AssertionException or NUnit.Framework.MultipleAssertException) return AllureStatus.Failed;
        for (var type = exception.GetType(); type is not null; type = type.BaseType)
            if (type.Name.EndsWith("ConformanceFailure", StringComparison.Ordinal)
                || type.Name.EndsWith("ConformanceFailureException", StringComparison.Ordinal))
                return AllureStatus.Failed;
        return AllureStatus.Broken;
    }

    private static Exception Unwrap(Exception exception)
    {
        while (true)
        {
            switch (exception)
            {
                case TargetInvocationException { InnerException: { } inner }:
                    exception = inner;
                    continue;
                case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                    exception = aggregate.InnerExceptions[0];
                    continue;
                default:
                    return exception;
            }
        }
    }

    /// <summary>"HttpRequestException: … → SocketException: Connection refused", so categories can match on causes.</summary>
    private static string Chain(Exception exception)
    {
        var text = $"{exception.GetType().Name}: {exception.Message}";
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
            text += $" → {inner.GetType().Name}: {inner.Message}";
        return text;
    }
}
