using System.Runtime.ExceptionServices;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace DigitalInsurance.Conformance.Support.Runner;

/// <summary>
/// Marks an exception whose message is written for the person running the suite (a wrong setting, an
/// unreachable target, …). Tests fail with that message alone, without a stack trace.
/// Exceptions whose type name ends in <c>HarnessSetupException</c> are treated the same way.
/// </summary>
public interface IUserFacingError;

/// <summary>How a failure reaches NUnit: user-facing errors as their message only, everything else as the exception; both redacted.</summary>
internal static class UserFacingErrors
{
    public static void Report(Exception error)
    {
        if (Find(error) is { } userFacing)
        {
            // Recorded as an assertion result rather than thrown: NUnit attaches a stack trace to every exception it catches.
            TestExecutionContext.CurrentContext.CurrentResult.RecordAssertion(AssertionStatus.Failed, HarnessWiring.Redact(userFacing).Message, null);
            return;
        }
        ExceptionDispatchInfo.Throw(HarnessWiring.Redact(error));
    }

    /// <summary>
    /// Fails the current test with an error that happened before it, outside any scenario (test run or feature
    /// start): the message alone when it is user-facing, otherwise what failed, type, message and the original stack trace.
    /// </summary>
    public static void ReportEarlier(Exception earlier, string whatFailed) => Report(AsEarlier(earlier, whatFailed));

    /// <summary>The one line a report shows for a scenario an earlier failure kept from running (redacted).</summary>
    public static string EarlierMessage(Exception earlier, string whatFailed) =>
        HarnessWiring.Redact(Find(earlier) ?? AsEarlier(earlier, whatFailed)).Message;

    private static Exception AsEarlier(Exception earlier, string whatFailed) =>
        Find(earlier) is not null
            ? earlier
            : new InvalidOperationException($"{whatFailed}; the scenario did not run. {earlier.GetType().Name}: {earlier.Message}", earlier);

    /// <summary>The user-facing exception in <paramref name="error"/> or its inner exceptions, if any.</summary>
    public static Exception? Find(Exception? error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (IsUserFacing(current))
                return current;
            if (current is AggregateException { InnerExceptions.Count: > 1 } aggregate)
                return aggregate.InnerExceptions.Select(Find).FirstOrDefault(e => e is not null);
        }
        return null;
    }

    private static bool IsUserFacing(Exception error)
    {
        if (error is IUserFacingError) return true;
        for (var type = error.GetType(); type is not null; type = type.BaseType)
            if (type.Name.EndsWith("HarnessSetupException", StringComparison.Ordinal))
                return true;
        return false;
    }
}
