using NUnit.Framework;

namespace DigitalInsurance.Conformance.Support.Runner;

/// <summary>
/// A setting the runner needs while it discovers the scenarios, before the settings binder has run: the environment
/// variable first, then the runsettings parameter, as the settings binder reads them (it reports wrong values later).
/// </summary>
internal static class DiscoverySetting
{
    public static string? Read(string environmentVariable, string parameter) =>
        Environment.GetEnvironmentVariable(environmentVariable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment)
            ? fromEnvironment
            : TestContext.Parameters.Get(parameter);
}
