using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Runner;
using DigitalInsurance.Conformance.Tests.Browser;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace DigitalInsurance.Conformance.Tests.Runner;

/// <summary>
/// shardIndex/shardCount split the scenarios over CI agents at discovery: every scenario is in exactly one shard, the
/// split is the same on every machine, and each shard writes its own allure-results folder.
/// </summary>
public class ShardingTests
{
    /// <summary>The test cases discovery builds from the repository's own features for one shard, by full name.</summary>
    private static List<string> Build(ShardSettings shard) =>
        FeatureFixturesAttribute.Build(new TypeWrapper(typeof(FeatureTests)), FeatureFixturesAttribute.EveryTest.Instance, RepositoryFiles.Root, shard)
            .SelectMany(fixture => fixture.Tests)
            .Select(test => test.FullName)
            .ToList();

    [TestCase(2)]
    [TestCase(3)]
    public void The_shards_together_hold_every_scenario_exactly_once(int count)
    {
        var whole = Build(ShardSettings.Whole);
        var shards = Enumerable.Range(0, count).Select(index => Build(new ShardSettings(index, count))).ToList();

        Assert.That(whole, Has.Count.GreaterThan(count * 3), "enough scenarios to split");
        Assert.That(shards.SelectMany(s => s), Is.EquivalentTo(whole), "the union of the shards is the whole run, with no scenario twice");
        Assert.That(shards, Has.All.Not.Empty, "every shard gets some scenarios");
        Assert.That(Build(new ShardSettings(1, count)), Is.EqualTo(shards[1]), "the split is the same every time");
    }

    [Test]
    public void The_split_uses_a_hash_that_is_the_same_on_every_machine()
    {
        // FNV-1a 64 of "a" and of "foobar" (published test vectors): not string.GetHashCode, which differs per process.
        Assert.That(ScenarioShards.StableHash("a"), Is.EqualTo(0xaf63dc4c8601ec8cUL));
        Assert.That(ScenarioShards.StableHash("foobar"), Is.EqualTo(0x85944171f73967e8UL));
    }

    [Test]
    public void Preflight_features_run_first_then_the_slow_scenarios_then_the_write_probes_and_the_token_expiry_last()
    {
        var fixtures = FeatureFixturesAttribute.Build(new TypeWrapper(typeof(FeatureTests)), FeatureFixturesAttribute.EveryTest.Instance, RepositoryFiles.Root, ShardSettings.Whole).ToList();
        var preflight = fixtures.Single(f => f.Tests.Any(t => t.Properties[PropertyNames.Category].Contains("preflight")));

        var outlivesTokens = fixtures.Single(f => f.Tests.Any(t => t.Properties[PropertyNames.Category].Contains(FeatureFixturesAttribute.OutlivesTokensTag)));
        var slow = fixtures.Single(f => f != outlivesTokens && f.Tests.Any(t => t.Properties[PropertyNames.Category].Contains("slow")));
        var slowScenario = slow.Tests.Single(t => t.Properties[PropertyNames.Category].Contains("slow"));

        Assert.That(preflight.Properties.Get(PropertyNames.Order), Is.EqualTo(0));
        Assert.That(slow.Properties.Get(PropertyNames.Order), Is.EqualTo(1), "then the feature with the slow scenario");
        Assert.That(slowScenario.Properties.Get(PropertyNames.Order), Is.EqualTo(0), "which starts first in its feature");
        var writes = fixtures.Single(f => f.Tests.Any(t => t.Properties[PropertyNames.Category].Contains(FeatureFixturesAttribute.WriteProbesTag)));
        Assert.That(writes.Properties.Get(PropertyNames.Order), Is.EqualTo(3), "the write probes after everything else");
        Assert.That(outlivesTokens.Properties.Get(PropertyNames.Order), Is.EqualTo(4), "the feature that lets every token expire after even the write probes, though it has a slow scenario");
        Assert.That(fixtures.Where(f => f != preflight && f != slow && f != writes && f != outlivesTokens).Select(f => f.Properties.Get(PropertyNames.Order)), Has.All.EqualTo(2),
            "every other feature has an order too: NUnit starts fixtures without one after those with one");
    }

    [TestCase("2", "2", "Setting 'shardIndex' is 2, but with shardCount 2 it must be 0 to 1 (shards count from 0). Fix runsettings parameter 'shardIndex' or environment variable DIC_SHARD_INDEX.")]
    [TestCase("0", "zero", "Setting 'shardCount' has the value 'zero', but it must be a whole number from 1 to 1000. Fix runsettings parameter 'shardCount' or environment variable DIC_SHARD_COUNT.")]
    [TestCase("-1", "2", "Setting 'shardIndex' has the value '-1', but it must be a whole number from 0 to 999. Fix runsettings parameter 'shardIndex' or environment variable DIC_SHARD_INDEX.")]
    public void Wrong_shard_settings_say_what_to_fix(string index, string count, string message)
    {
        Assert.That(Assert.Throws<ShardSettingsException>(() => ShardSettings.Parse(index, count))!.Message, Is.EqualTo(message));
        Assert.That(Assert.Throws<SettingsException>(() => SettingsBinder.Bind(
            new Dictionary<string, string?> { ["shardIndex"] = index, ["shardCount"] = count }, new Dictionary<string, string?>()))!.Message, Is.EqualTo(message));
    }

    [Test]
    public void Each_shard_writes_its_own_allure_results_unless_a_path_is_set()
    {
        static HarnessSettings Bind(Dictionary<string, string?> environment) => SettingsBinder.Bind(new Dictionary<string, string?>(), environment);

        Assert.That(Bind(new()).Reporting.AllureResultsPath, Is.EqualTo("allure-results"));
        Assert.That(Bind(new() { ["DIC_SHARD_INDEX"] = "1", ["DIC_SHARD_COUNT"] = "3" }).Reporting.AllureResultsPath, Is.EqualTo("allure-results-shard1"));
        Assert.That(Bind(new() { ["DIC_SHARD_INDEX"] = "1", ["DIC_SHARD_COUNT"] = "3", ["DIC_ALLURE_RESULTS_PATH"] = "/ci/results" }).Reporting.AllureResultsPath, Is.EqualTo("/ci/results"));
        Assert.That(Bind(new() { ["DIC_SHARD_INDEX"] = "1", ["DIC_SHARD_COUNT"] = "3" }).Shard, Is.EqualTo(new ShardSettings(1, 3)));
    }

    /// <summary>
    /// The suite as CI runs it: `dotnet test --list-tests` per shard, one shard chosen by environment variables and the
    /// other by runsettings parameters, against a run without shards.
    /// </summary>
    [Test]
    public async Task Two_shards_listed_by_dotnet_test_add_up_to_the_unsharded_list()
    {
        var whole = await ConformanceSuiteProcess.ListTestsAsync(new Dictionary<string, string>());
        var first = await ConformanceSuiteProcess.ListTestsAsync(new Dictionary<string, string> { ["DIC_SHARD_INDEX"] = "0", ["DIC_SHARD_COUNT"] = "2" });
        var second = await ConformanceSuiteProcess.ListTestsAsync(new Dictionary<string, string>(),
            "--", "TestRunParameters.Parameter(name=\"shardIndex\", value=\"1\")", "TestRunParameters.Parameter(name=\"shardCount\", value=\"2\")");

        Assert.That(whole, Is.Not.Empty);
        Assert.That(first, Is.Not.Empty.And.Count.LessThan(whole.Count));
        Assert.That(second, Is.Not.Empty.And.Count.LessThan(whole.Count));
        // Names are scenario identifiers, which repeat across features: compare as multisets, so that a scenario
        // listed by both shards would show as one too many.
        Assert.That(first.Concat(second).Order(), Is.EqualTo(whole.Order()));
    }

    /// <summary>
    /// Two shards run as two CI agents would, each with its own allure-results, against one unsharded run, all with the
    /// same filter (the scenarios that need no browser, so three runs stay short).
    /// </summary>
    [Test, NonParallelizable]
    public async Task Two_shards_run_by_dotnet_test_together_run_what_one_run_runs_each_scenario_once()
    {
        const string filter = "TestCategory=discovery|TestCategory=preflight";
        var work = Directory.CreateTempSubdirectory("dic-shards-").FullName;
        try
        {
            async Task<(List<string> Ran, List<string> Failed, int AllureResults)> RunAsync(int? index)
            {
                var allure = Path.Combine(work, index is { } i ? $"allure-results-shard{i}" : "allure-results");
                var environment = new Dictionary<string, string> { ["DIC_ALLURE_RESULTS_PATH"] = allure };
                if (index is { } shard)
                {
                    environment["DIC_SHARD_INDEX"] = shard.ToString();
                    environment["DIC_SHARD_COUNT"] = "2";
                }
                var (results, output) = await ConformanceSuiteProcess.RunAsync(environment, TimeSpan.FromMinutes(5),
                    "--filter", filter, "--settings", Path.Combine(RepositoryFiles.Root, "runsettings", "sandbox.runsettings"));
                var ran = results.All.Where(r => r.Outcome != "NotExecuted").Select(r => r.FullyQualifiedName).ToList();
                var failed = results.All.Where(r => r.Outcome is not ("Passed" or "NotExecuted")).Select(r => $"{r.Name}: {r.Message}").ToList();
                var allureResults = Directory.Exists(allure) ? Directory.GetFiles(allure, "*-result.json").Length : 0;
                TestContext.Out.WriteLine($"shard {index?.ToString() ?? "none"}: {ran.Count} ran, {failed.Count} failed");
                if (ran.Count == 0) TestContext.Out.WriteLine(output);
                return (ran, failed, allureResults);
            }

            // Independent runs (own sandboxes on free ports, own result folders): side by side, as CI agents would.
            var runs = await Task.WhenAll(RunAsync(null), RunAsync(0), RunAsync(1));
            var (whole, first, second) = (runs[0], runs[1], runs[2]);

            Assert.Multiple(() =>
            {
                Assert.That(whole.Ran, Has.Count.GreaterThanOrEqualTo(4), "the unsharded run");
                Assert.That(first.Ran, Is.Not.Empty, "shard 0 ran scenarios");
                Assert.That(second.Ran, Is.Not.Empty, "shard 1 ran scenarios");
                Assert.That(first.Ran.Concat(second.Ran).Order(), Is.EqualTo(whole.Ran.Order()), "together the shards ran what the single run ran, none twice");
                Assert.That(first.Failed.Concat(second.Failed).Concat(whole.Failed), Is.Empty);
                Assert.That((first.AllureResults, second.AllureResults), Is.EqualTo((first.Ran.Count, second.Ran.Count)), "each shard wrote its own allure-results");
            });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
