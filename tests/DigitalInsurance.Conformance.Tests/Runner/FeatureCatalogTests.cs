using DigitalInsurance.Conformance.Support.Runner;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace DigitalInsurance.Conformance.Tests.Runner;

/// <summary>In-process checks of parsing and NUnit tree building, on the sample's feature files.</summary>
public sealed class FeatureCatalogTests
{
    private static readonly CatalogContents Catalog = FeatureCatalog.Load(BridgeSample.SourceFolder);

    private static FeatureDefinition Feature(string identifier) => Catalog.Features.Single(f => f.Identifier == identifier);

    private static ScenarioDefinition Scenario(string feature, string identifier) =>
        Feature(feature).Scenarios.Single(s => s.Identifier == identifier);

    [Test]
    public void Message_ids_are_unique_across_features()
    {
        var messages = Catalog.Features.Select(f => f.Messages).ToList();
        var ids = messages.SelectMany(m => m.Pickles.SelectMany(p => p.Steps.Select(s => s.Id).Prepend(p.Id)))
            .Concat(messages.SelectMany(m => m.GherkinDocument.Feature.Children.Select(c => c.Scenario?.Id ?? c.Rule?.Id ?? c.Background?.Id)))
            .ToList();

        Assert.That(messages, Has.Count.EqualTo(4));
        Assert.That(ids, Is.Unique.And.Not.Contains(null));
    }

    [Test]
    public void Features_are_read_from_the_features_folder_with_relative_paths()
    {
        Assert.That(Catalog.Features.Select(f => f.RelativePath), Is.EqualTo(new[]
        {
            "features/Coverage.feature", "features/Failures.feature", "features/FeatureStart.feature", "features/nested/Token exchange.feature",
        }));
        var token = Feature("Token_exchange");
        Assert.That(token.Info.FolderPath, Is.EqualTo("features/nested"));
        Assert.That(token.Messages.Source.Uri, Is.EqualTo("features/nested/Token exchange.feature"));
        Assert.That(token.Messages.Source.Data, Does.StartWith("@token\nFeature: Token exchange"));
        Assert.That(token.Info.Language.Name, Does.StartWith("en"));
    }

    [Test]
    public void Outline_rows_become_scenarios_with_their_values_substituted()
    {
        var row = Scenario("Coverage_lookup", "Coverage_per_member_09_testmemid_02115");

        Assert.That(Feature("Coverage_lookup").Scenarios.Count(s => s.Title == "Coverage per member"), Is.EqualTo(3));
        Assert.That(row.Steps.Select(s => s.Text), Is.EqualTo(new[]
        {
            "the sandbox is running", "a member with id \"09-testmemid\" and postal code \"02115\"", "the member id is \"09-testmemid\"",
        }));
        Assert.That(row.Arguments["member id"], Is.EqualTo("09-testmemid"));
        Assert.That(row.Arguments["postal code"], Is.EqualTo("02115"));
        Assert.That(row.Description, Is.EqualTo("Coverage per member [member id=09-testmemid, postal code=02115]"));
    }

    [Test]
    public void Rows_whose_values_do_not_name_them_uniquely_are_numbered()
    {
        Assert.That(Feature("Token_exchange").Scenarios.Select(s => s.Identifier), Is.EqualTo(new[]
        {
            "Token_response_carries_patient_context", "Rows_without_unique_values_row1", "Rows_without_unique_values_row2",
        }));
        Assert.That(Feature("Failure_reporting").Scenarios.Select(s => s.Identifier).TakeLast(2), Is.EqualTo(new[] { "Same_title", "Same_title_2" }));
    }

    [Test]
    public void Background_steps_come_first_and_keywords_pick_the_runner_method()
    {
        var steps = Scenario("Coverage_lookup", "Coverage_lists_the_member_s_plans").Steps;

        Assert.That(steps.Select(s => (s.Method, s.Keyword.Trim(), s.Text)), Is.EqualTo(new[]
        {
            (StepMethod.Given, "Given", "the sandbox is running"),
            (StepMethod.Given, "Given", "these members:"),
            (StepMethod.When, "When", "the client asks for coverage with the body:"),
            (StepMethod.Then, "Then", "the binding saw 2 members and the body for \"08-testmemid\""),
        }));
        Assert.That(Scenario("Coverage_lookup", "Coverage_names_its_payer").Steps.Select(s => s.Method),
            Is.EqualTo(new[] { StepMethod.Given, StepMethod.Then, StepMethod.But }));
    }

    [Test]
    public void Tables_and_doc_strings_are_passed_as_written()
    {
        var steps = Scenario("Coverage_lookup", "Coverage_lists_the_member_s_plans").Steps;
        var table = steps[1].CreateTable()!;

        Assert.That(table.Header, Is.EqualTo(new[] { "name", "member id" }));
        Assert.That(table.Rows.Select(r => r["member id"]), Is.EqualTo(new[] { "08-testmemid", "09-testmemid" }));
        Assert.That(steps[1].CreateTable(), Is.Not.SameAs(table), "a fresh table per call");
        Assert.That(steps[2].DocString, Is.EqualTo("{\"resourceType\": \"Parameters\", \"member\": \"08-testmemid\"}"));
        Assert.That(steps[0].CreateTable(), Is.Null);
        Assert.That(steps[0].DocString, Is.Null);
    }

    [Test]
    public void Tags_of_feature_rule_scenario_and_examples_become_categories_and_reqnroll_tags()
    {
        var payer = Scenario("Coverage_lookup", "Coverage_names_its_payer");
        var thirdRow = Scenario("Coverage_lookup", "Coverage_per_member_10_testmemid_02116");

        Assert.That(payer.Categories, Is.EquivalentTo(new[] { "coverage", "severity:critical", "rule-tag" }));
        Assert.That(thirdRow.Categories, Is.EquivalentTo(new[] { "coverage", "severity:critical", "req:smart-token-response", "extra" }));
        // Reqnroll's split: the scenario's (and examples') own tags; feature and rule tags are inherited.
        Assert.That(thirdRow.Tags, Is.EqualTo(new[] { "req:smart-token-response", "extra" }));
        Assert.That(payer.Rule!.Tags, Is.Empty);
        Assert.That(payer.Rule.Title, Is.EqualTo("Coverage belongs to one payer"));
        Assert.That(Feature("Coverage_lookup").Info.Tags, Is.EqualTo(new[] { "coverage", "severity:critical" }));
    }

    [Test]
    public void The_ignore_tag_is_a_reason_not_a_category()
    {
        var ignored = Scenario("Failure_reporting", "An_ignored_scenario");
        Assert.That(ignored.IgnoreReason, Is.EqualTo("Ignored by the @ignore tag"));
        Assert.That(ignored.Categories, Is.Empty);
        Assert.That(Scenario("Failure_reporting", "Same_title").IgnoreReason, Is.Null);
    }

    [Test]
    public void Pickle_indexes_follow_the_feature_messages()
    {
        foreach (var feature in Catalog.Features)
        {
            var pickles = feature.Messages.Pickles.ToList();
            Assert.That(feature.Scenarios.Select(s => pickles[s.PickleIndex].Steps.Select(p => p.Text)),
                Is.EqualTo(feature.Scenarios.Select(s => s.Steps.Select(p => p.Text))), feature.RelativePath);
        }
    }

    [Test]
    public void An_unreadable_file_is_reported_with_its_line()
    {
        Assert.That(Catalog.Unreadable.Single().RelativePath, Is.EqualTo("features/broken/Broken.feature"));
        Assert.That(Catalog.Unreadable.Single().Reason, Does.Contain("(4:5)").And.Contain("This line is not Gherkin"));
    }

    [Test]
    public void A_missing_features_folder_is_reported_not_silently_empty()
    {
        var empty = FeatureCatalog.Load(Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N")));
        Assert.That(empty.Features, Is.Empty);
        Assert.That(empty.Unreadable.Single().Reason, Does.StartWith("No 'features' folder next to the test assembly"));
    }

    [TestCase("Token exchange", "Token_exchange")]
    [TestCase("Coverage (C4DIC) — member's plan", "Coverage_C4DIC_member_s_plan")]
    [TestCase("08-testmemid 02114", "_08_testmemid_02114")]
    [TestCase("  ", "_")]
    public void Identifiers_keep_letters_and_digits_only(string text, string identifier) =>
        Assert.That(Naming.ToIdentifier(text), Is.EqualTo(identifier));

    [Test]
    public void The_nunit_tree_has_one_fixture_per_feature_with_identifier_names_and_readable_descriptions()
    {
        var fixtures = FeatureFixturesAttribute.Build(new TypeWrapper(typeof(FeatureTests)), FeatureFixturesAttribute.EveryTest.Instance, BridgeSample.SourceFolder).ToList();
        var coverage = fixtures.Single(f => f.Name == "Coverage_lookup");
        var row = coverage.Tests.Single(t => t.Name == "Coverage_per_member_08_testmemid_02114");
        var unreadable = fixtures.Single(f => f.Name == "features_broken_Broken_feature").Tests.Single();

        Assert.Multiple(() =>
        {
            Assert.That(fixtures, Has.Count.EqualTo(5));
            Assert.That(fixtures.All(f => f.RunState == RunState.Runnable));
            Assert.That(coverage.FullName, Is.EqualTo("DigitalInsurance.Conformance.Features.Coverage_lookup"));
            Assert.That(coverage.Properties.Get(PropertyNames.Description), Is.EqualTo("Coverage lookup"));
            Assert.That(row.FullName, Is.EqualTo("DigitalInsurance.Conformance.Features.Coverage_lookup.Coverage_per_member_08_testmemid_02114"));
            Assert.That(row.Properties.Get(PropertyNames.Description), Is.EqualTo("Coverage per member [member id=08-testmemid, postal code=02114]"));
            Assert.That(row.Properties[PropertyNames.Category], Is.EquivalentTo(new[] { "coverage", "severity:critical", "req:smart-token-response" }));
            Assert.That(row.RunState, Is.EqualTo(RunState.Runnable));
            Assert.That(unreadable.RunState, Is.EqualTo(RunState.NotRunnable));
            Assert.That(unreadable.Properties.Get(PropertyNames.SkipReason), Does.Contain("Broken.feature is not valid Gherkin"));
        });
    }
}
