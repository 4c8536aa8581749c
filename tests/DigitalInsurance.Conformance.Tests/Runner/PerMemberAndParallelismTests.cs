using DigitalInsurance.Conformance.Support.Runner;
using DigitalInsurance.Conformance.Tests.Browser;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace DigitalInsurance.Conformance.Tests.Runner;

/// <summary>@per-member scenarios become one test per member of the roster; the parallelism setting shapes the NUnit tree.</summary>
[NonParallelizable]
public class PerMemberAndParallelismTests
{
    private string _output = null!;

    [SetUp]
    public void WriteFeatures()
    {
        _output = Directory.CreateTempSubdirectory("dic-per-member-").FullName;
        var features = Directory.CreateDirectory(Path.Combine(_output, "features")).FullName;
        File.WriteAllText(Path.Combine(features, "cards.feature"), """
            @fhir
            Feature: Cards
              @per-member
              Scenario: Each member reads their card
                Given the member reads their card

              Scenario Outline: Shared lookup by <kind>
                Given a lookup by "<kind>"

                @per-member
                Examples:
                  | kind |
                  | id   |

              Scenario: Once for the run
                Given nothing per member
            """);
        File.WriteAllText(Path.Combine(features, "alone.feature"), """
            Feature: Alone
              @serial
              Scenario: Toggles something global
                Given a global switch
            """);
    }

    [TearDown]
    public void DeleteFeatures()
    {
        Environment.SetEnvironmentVariable(ScenarioParallelism.EnvironmentVariable, null);
        Directory.Delete(_output, recursive: true);
    }

    private FeatureDefinition Cards(IReadOnlyList<string>? members) =>
        FeatureCatalog.Load(_output, members).Features.Single(f => f.Identifier == "Cards");

    [Test]
    public void Without_a_roster_nothing_is_multiplied_and_no_member_argument_is_added()
    {
        var cards = Cards(null);
        Assert.That(cards.Scenarios.Select(s => s.Identifier), Is.EqualTo(new[] { "Each_member_reads_their_card", "Shared_lookup_by_kind_id", "Once_for_the_run" }));
        Assert.That(cards.Scenarios[0].Arguments.Contains(PerMemberPickles.ArgumentName), Is.False);
    }

    [Test]
    public void Each_per_member_pickle_becomes_one_scenario_per_member_with_its_own_pickle_and_the_member_argument()
    {
        var cards = Cards(["Jason Argonaut", "Amy Shaw"]);

        Assert.That(cards.Scenarios.Select(s => s.Identifier), Is.EqualTo(new[]
        {
            "Each_member_reads_their_card_member_Jason_Argonaut", "Each_member_reads_their_card_member_Amy_Shaw",
            "Shared_lookup_by_kind_id_member_Jason_Argonaut", "Shared_lookup_by_kind_id_member_Amy_Shaw",
            "Once_for_the_run",
        }));
        var amy = cards.Scenarios[1];
        Assert.Multiple(() =>
        {
            Assert.That(amy.Arguments[PerMemberPickles.ArgumentName], Is.EqualTo("Amy Shaw"));
            Assert.That(amy.Description, Is.EqualTo("Each member reads their card [member=Amy Shaw]"));
            Assert.That(cards.Scenarios[3].Description, Is.EqualTo("Shared lookup by id [kind=id, member=Amy Shaw]"));
            Assert.That(amy.Steps.Single().Text, Is.EqualTo("the member reads their card"));
            var pickles = cards.Messages.Pickles.ToList();
            Assert.That(pickles, Has.Count.EqualTo(5), "the feature's messages list every member's pickle, so reports show each");
            Assert.That(pickles.Select(p => p.Id).Concat(pickles.SelectMany(p => p.Steps.Select(s => s.Id))), Is.Unique);
            Assert.That(cards.Scenarios.Select(s => s.PickleIndex), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
            Assert.That(pickles[amy.PickleIndex].AstNodeIds, Is.EqualTo(pickles[0].AstNodeIds), "both lead back to the same scenario");
        });
    }

    private List<TestSuite> BuildTree() =>
        FeatureFixturesAttribute.Build(new TypeWrapper(typeof(FeatureTests)), FeatureFixturesAttribute.EveryTest.Instance, _output, ShardSettings.Whole).ToList();

    [Test]
    public void With_parallelism_above_one_the_assembly_runs_everything_in_parallel_on_that_many_workers_but_serial_features_alone()
    {
        Environment.SetEnvironmentVariable(ScenarioParallelism.EnvironmentVariable, "6");
        var assembly = new TestAssembly("harness");
        new HarnessParallelismAttribute().ApplyToTest(assembly);
        var fixtures = BuildTree();

        Assert.Multiple(() =>
        {
            Assert.That(assembly.Properties.Get(PropertyNames.LevelOfParallelism), Is.EqualTo(6));
            Assert.That(assembly.Properties.Get(PropertyNames.ParallelScope), Is.EqualTo(ParallelScope.Children), "passed down to every feature and scenario");
            Assert.That(Scope(fixtures, "Cards"), Is.EqualTo(ParallelScope.Self | ParallelScope.Children), "the feature and its scenarios run alongside others");
            Assert.That(fixtures.Single(f => f.Name == "Cards").Tests.Select(t => t.Properties.Get(PropertyNames.ParallelScope)), Has.All.EqualTo(ParallelScope.Self));
            Assert.That(Scope(fixtures, "Alone"), Is.EqualTo(ParallelScope.None), "a @serial scenario makes its feature run alone");
        });
    }

    [Test]
    public void By_default_nothing_runs_in_parallel()
    {
        var assembly = new TestAssembly("harness");
        new HarnessParallelismAttribute().ApplyToTest(assembly);
        var fixtures = BuildTree();

        Assert.That(assembly.Properties.ContainsKey(PropertyNames.ParallelScope), Is.False);
        Assert.That(assembly.Properties.ContainsKey(PropertyNames.LevelOfParallelism), Is.False);
        Assert.That(fixtures.Select(f => f.Properties.ContainsKey(PropertyNames.ParallelScope)), Has.All.False);
    }

    [TestCase(null, 1)]
    [TestCase("1", 1)]
    [TestCase(" 8 ", 8)]
    [TestCase("64", 64)]
    [TestCase("0", null)]
    [TestCase("65", null)]
    [TestCase("many", null)]
    public void Parses_the_setting(string? raw, int? expected) => Assert.That(ScenarioParallelism.Parse(raw), Is.EqualTo(expected));

    private static ParallelScope? Scope(List<TestSuite> fixtures, string feature) =>
        fixtures.Single(f => f.Name == feature).Properties.Get(PropertyNames.ParallelScope) as ParallelScope?;

    /// <summary>
    /// The suite run by dotnet test with parallelism 3: scenarios really run at the same time (their TRX intervals
    /// overlap). Only the order of start and end times is compared, never a duration.
    /// </summary>
    [Test, NonParallelizable]
    public async Task With_parallelism_above_one_dotnet_test_runs_scenarios_at_the_same_time()
    {
        var allure = Path.Combine(Path.GetTempPath(), $"dic-parallel-allure-{Guid.NewGuid():N}");
        try
        {
            var (results, output) = await ConformanceSuiteProcess.RunAsync(
                new Dictionary<string, string> { [ScenarioParallelism.EnvironmentVariable] = "3", ["DIC_ALLURE_RESULTS_PATH"] = allure },
                TimeSpan.FromMinutes(5),
                "--filter", "TestCategory=token&TestCategory!=slow", "--settings", Path.Combine(RepositoryFiles.Root, "runsettings", "sandbox.runsettings"));

            Assert.That(results.All.Where(r => r.Outcome != "Passed").Select(r => $"{r.Name}: {r.Message}"), Is.Empty, output);
            var intervals = results.All.Select(r => (r.Name, r.Start, r.End)).ToList();
            var overlapping = (from a in intervals from b in intervals
                               where string.CompareOrdinal(a.Name, b.Name) < 0 && a.Start < b.End && b.Start < a.End
                               select $"{a.Name} / {b.Name}").ToList();
            Assert.That(overlapping, Is.Not.Empty, string.Join("\n", intervals.Select(i => $"{i.Start:HH:mm:ss.fff}–{i.End:HH:mm:ss.fff} {i.Name}")));
        }
        finally
        {
            if (Directory.Exists(allure)) Directory.Delete(allure, recursive: true);
        }
    }
}
