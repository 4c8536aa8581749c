using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Builders;

namespace DigitalInsurance.Conformance.Support.Runner;

/// <summary>
/// Builds the NUnit tree from the feature files instead of from code-behind: one fixture per feature
/// (<c>DigitalInsurance.Conformance.Features.&lt;Feature&gt;</c>) and one test case per pickle
/// (<c>…&lt;Feature&gt;.&lt;Scenario&gt;[_&lt;example values&gt;|_rowN]</c>), each running
/// <see cref="FeatureTests.RunScenarioAsync"/>. Names are identifiers so that VSTest filters work; the readable
/// titles are the NUnit descriptions; Gherkin tags (feature, rule, scenario, examples) are the categories.
/// With shardIndex/shardCount set, only this shard's scenarios are built (<see cref="ScenarioShards"/>), so each
/// agent's counts are its own; @preflight features run before all others.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class FeatureFixturesAttribute : NUnitAttribute, IFixtureBuilder2
{
    public IEnumerable<TestSuite> BuildFrom(ITypeInfo typeInfo) => BuildFrom(typeInfo, EveryTest.Instance);

    public IEnumerable<TestSuite> BuildFrom(ITypeInfo typeInfo, IPreFilter filter)
    {
        var outputFolder = Path.GetDirectoryName(typeInfo.Assembly.Location) is { Length: > 0 } folder ? folder : AppContext.BaseDirectory;
        return Build(typeInfo, filter, outputFolder);
    }

    internal static IEnumerable<TestSuite> Build(ITypeInfo typeInfo, IPreFilter filter, string outputFolder)
    {
        ShardSettings shard;
        try
        {
            shard = ScenarioShards.Current();
        }
        catch (ShardSettingsException e)
        {
            return [BuildInvalidShard(typeInfo, filter, e.Message)];
        }
        return Build(typeInfo, filter, outputFolder, shard);
    }

    internal static IEnumerable<TestSuite> Build(ITypeInfo typeInfo, IPreFilter filter, string outputFolder, ShardSettings shard)
    {
        var catalog = FeatureCatalog.Load(outputFolder);
        var scenarioMethod = new MethodWrapper(typeInfo.Type, nameof(FeatureTests.RunScenarioAsync));
        return catalog.Features.Select(feature => BuildFixture(typeInfo, filter, scenarioMethod, feature, shard))
            .Concat(catalog.Unreadable.Select(unreadable => BuildUnreadable(typeInfo, filter, scenarioMethod, unreadable))
                .Where(fixture => ScenarioShards.Contains(shard, fixture.FullName)))
            // A feature with none of its scenarios in this shard leaves no empty fixture behind.
            .Where(fixture => !shard.IsPartial || fixture.HasChildren)
            .ToList();
    }

    private static TestSuite BuildFixture(ITypeInfo typeInfo, IPreFilter filter, IMethodInfo scenarioMethod, FeatureDefinition feature, ShardSettings shard)
    {
        var fixture = new NUnitTestFixtureBuilder().BuildFrom(typeInfo, filter, new TestFixtureParameters([feature]) { TestName = feature.Identifier });
        fixture.FullName = $"{Naming.FeatureNamespace}.{feature.Identifier}";
        fixture.Properties.Set(PropertyNames.Description, feature.Title);
        // Fixtures with an order run before those without: the preflight's findings come first, then the features with
        // a @slow scenario (e.g. one waiting out the code lifetime), which starts first among them, so that with
        // parallelism its wait overlaps the rest of the run instead of ending it.
        // The write probes come last (issue #13): should a server wrongly let a write through, no other scenario has to
        // read the member's data after it. NUnit starts fixtures with an order before those without, so every fixture gets one.
        // A feature that lets every token of the run expire (the access-token expiry) comes after even the write probes,
        // which still need the shared token; being @serial too, it runs after every parallel feature has finished.
        if (feature.Info.Tags.Contains("preflight", StringComparer.OrdinalIgnoreCase))
            fixture.Properties.Set(PropertyNames.Order, 0);
        else if (feature.Info.Tags.Contains(OutlivesTokensTag, StringComparer.OrdinalIgnoreCase))
            fixture.Properties.Set(PropertyNames.Order, 4);
        else if (feature.Scenarios.Any(IsSlow))
            fixture.Properties.Set(PropertyNames.Order, 1);
        else if (feature.Info.Tags.Contains(WriteProbesTag, StringComparer.OrdinalIgnoreCase))
            fixture.Properties.Set(PropertyNames.Order, 3);
        else
            fixture.Properties.Set(PropertyNames.Order, 2);

        var builder = new NUnitTestCaseBuilder();
        foreach (var scenario in feature.Scenarios)
        {
            var parameters = new TestCaseParameters([scenario]) { TestName = scenario.Identifier };
            parameters.Properties.Set(PropertyNames.Description, scenario.Description);
            foreach (var category in scenario.Categories)
                parameters.Properties.Add(PropertyNames.Category, category);
            var test = builder.BuildTestMethod(scenarioMethod, fixture, parameters);
            if (IsSlow(scenario)) test.Properties.Set(PropertyNames.Order, 0);
            if (ScenarioShards.Contains(shard, test.FullName)) fixture.Add(test);
        }
        ScenarioParallelism.ApplyToFeature(fixture, feature);
        return fixture;
    }

    private static bool IsSlow(ScenarioDefinition scenario) => scenario.Categories.Contains(SlowTag, StringComparer.OrdinalIgnoreCase);

    private const string SlowTag = "slow";

    /// <summary>The feature of write probes, started after every other feature.</summary>
    public const string WriteProbesTag = "write-probes";

    /// <summary>A feature after which no access token of the run is valid any more, started last of all.</summary>
    public const string OutlivesTokensTag = "outlives-tokens";

    /// <summary>Wrong shard settings build no scenario at all, only one invalid test that says what to fix.</summary>
    private static TestSuite BuildInvalidShard(ITypeInfo typeInfo, IPreFilter filter, string reason)
    {
        var fixture = new NUnitTestFixtureBuilder().BuildFrom(typeInfo, filter, new TestFixtureParameters([null]) { TestName = "Sharding" });
        fixture.FullName = $"{Naming.FeatureNamespace}.Sharding";
        var parameters = new TestCaseParameters([null]) { TestName = "Shard_settings_are_valid", RunState = RunState.NotRunnable };
        parameters.Properties.Set(PropertyNames.Description, "shardIndex and shardCount");
        parameters.Properties.Set(PropertyNames.SkipReason, reason);
        fixture.Add(new NUnitTestCaseBuilder().BuildTestMethod(new MethodWrapper(typeInfo.Type, nameof(FeatureTests.RunScenarioAsync)), fixture, parameters));
        return fixture;
    }

    /// <summary>A feature file that yields no scenarios still shows up: as one invalid test carrying the reason.</summary>
    private static TestSuite BuildUnreadable(ITypeInfo typeInfo, IPreFilter filter, IMethodInfo scenarioMethod, UnreadableFeature unreadable)
    {
        var identifier = Naming.ToIdentifier(unreadable.RelativePath);
        // A fixture of the same type (the adapter only runs test cases under fixtures); it has no feature and runs no scenario.
        var fixture = new NUnitTestFixtureBuilder().BuildFrom(typeInfo, filter, new TestFixtureParameters([null]) { TestName = identifier });
        fixture.FullName = $"{Naming.FeatureNamespace}.{identifier}";
        var parameters = new TestCaseParameters([null]) { TestName = "Feature_file_is_readable", RunState = RunState.NotRunnable };
        parameters.Properties.Set(PropertyNames.Description, unreadable.RelativePath);
        parameters.Properties.Set(PropertyNames.SkipReason, unreadable.Reason);
        fixture.Add(new NUnitTestCaseBuilder().BuildTestMethod(scenarioMethod, fixture, parameters));
        return fixture;
    }

    internal sealed class EveryTest : IPreFilter
    {
        public static readonly EveryTest Instance = new();

        public bool IsMatch(Type type) => true;
        public bool IsMatch(Type type, System.Reflection.MethodInfo method) => true;
    }
}
