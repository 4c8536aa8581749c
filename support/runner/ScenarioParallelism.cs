using System.Globalization;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

[assembly: DigitalInsurance.Conformance.Support.Runner.HarnessParallelism]

namespace DigitalInsurance.Conformance.Support.Runner;

/// <summary>
/// How many scenarios run at once: the setting <c>parallelism</c> (environment DIC_PARALLELISM), 1 by default. Above 1
/// every feature fixture and its scenarios may run in parallel on that many NUnit workers; a feature tagged @serial, or
/// with a scenario tagged @serial, runs alone. Scenarios share no mutable state but the run's (thread-safe) services:
/// each has its own browser context, HTTP evidence and, when it enrolls, its own email address; the run's shared
/// authorization lets one scenario run the flow while the others wait for its token.
/// </summary>
internal static class ScenarioParallelism
{
    public const string SettingName = "parallelism";
    public const string EnvironmentVariable = "DIC_PARALLELISM";
    public const int Max = 64;
    public const string SerialTag = "serial";

    /// <summary>
    /// The setting as read while scenarios are discovered (environment first, then runsettings). A wrong value counts
    /// as 1 here; the settings binder reports it with what to fix when the run starts.
    /// </summary>
    public static int Current() => Parse(DiscoverySetting.Read(EnvironmentVariable, SettingName)) ?? 1;

    /// <returns>null when <paramref name="raw"/> is not a whole number from 1 to <see cref="Max"/>.</returns>
    public static int? Parse(string? raw) =>
        string.IsNullOrWhiteSpace(raw) ? 1
        : int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= Max ? value
        : null;

    /// <summary>
    /// A feature tagged @serial, or with a scenario tagged @serial, runs alone, one scenario after another (NUnit applies
    /// nothing to single test cases built with arguments, so the fixture is the finest level this can be set at).
    /// </summary>
    public static void ApplyToFeature(TestSuite fixture, FeatureDefinition feature)
    {
        if (Current() <= 1) return;
        if (feature.Info.Tags.Any(IsSerialTag) || feature.Scenarios.Any(s => s.Categories.Any(IsSerialTag)))
        {
            fixture.Properties.Set(PropertyNames.ParallelScope, ParallelScope.None);
            return;
        }
        // Set on every fixture and scenario, not only inherited from the assembly: the namespace suites and the run's
        // SetUpFixture between the assembly and the fixtures would otherwise keep the scope from reaching them.
        fixture.Properties.Set(PropertyNames.ParallelScope, ParallelScope.Self | ParallelScope.Children);
        foreach (var scenario in fixture.Tests.OfType<Test>())
            scenario.Properties.Set(PropertyNames.ParallelScope, ParallelScope.Self);
    }

    public static bool IsSerialTag(string tag) => tag.TrimStart('@').Equals(SerialTag, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Applies <see cref="ScenarioParallelism.Current"/> to the assembly: NUnit's number of workers (NUnit's own
/// NumberOfTestWorkers runsetting still wins) and parallel scope Children, under which every feature and every scenario
/// may run alongside the others (NUnit passes a scope down to all descendants that set none of their own). With
/// parallelism 1 it changes nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false, Inherited = false)]
internal sealed class HarnessParallelismAttribute : NUnitAttribute, IApplyToTest
{
    public void ApplyToTest(Test test)
    {
        var parallelism = ScenarioParallelism.Current();
        if (parallelism <= 1 || test is not TestAssembly) return;
        test.Properties.Set(PropertyNames.LevelOfParallelism, parallelism);
        test.Properties.Set(PropertyNames.ParallelScope, ParallelScope.Children);
    }
}
