using System.Text.Json;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Runner;

/// <summary>
/// Runs tests/BridgeSample through `dotnet test` (VSTest → NUnit adapter → support/runner → Reqnroll) and checks
/// what a user sees: names, outcomes, messages, filters, the Reqnroll reports. Three runs in all: a full one and
/// two filtered runs whose test run start fails.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class BridgeEndToEndTests
{
    private const string Features = "DigitalInsurance.Conformance.Features";
    private BridgeSample _sample = null!;
    private TestRunResults _full = null!;
    private string _htmlReport = "";
    private string[] _messages = [];

    [OneTimeSetUp]
    public async Task BuildAndRunTheSampleAsync()
    {
        _sample = await BridgeSample.BuildAsync();
        _full = await _sample.TestAsync();
        // Read now: the filtered runs below write the reports again.
        _htmlReport = await File.ReadAllTextAsync(Path.Combine(_sample.OutputFolder, "reqnroll_report.html"));
        _messages = await File.ReadAllLinesAsync(Path.Combine(_sample.OutputFolder, "reqnroll_report.ndjson"));
    }

    [OneTimeTearDown]
    public void RemoveTheBuild() => _sample?.Dispose();

    [Test]
    public void Every_pickle_is_one_test_named_feature_dot_scenario()
    {
        Assert.That(_full.All.Select(r => r.FullyQualifiedName), Is.EquivalentTo(new[]
        {
            $"{Features}.Coverage_lookup.Coverage_lists_the_member_s_plans",
            $"{Features}.Coverage_lookup.Coverage_per_member_08_testmemid_02114",
            $"{Features}.Coverage_lookup.Coverage_per_member_09_testmemid_02115",
            $"{Features}.Coverage_lookup.Coverage_per_member_10_testmemid_02116",
            $"{Features}.Coverage_lookup.Coverage_names_its_payer",
            $"{Features}.Failure_reporting.A_failing_step_fails_the_test",
            $"{Features}.Failure_reporting.An_undefined_step_fails_with_the_snippet",
            $"{Features}.Failure_reporting.A_pending_step_fails",
            $"{Features}.Failure_reporting.An_ignored_scenario",
            $"{Features}.Failure_reporting.A_wrong_setting_is_reported_without_a_stack_trace",
            $"{Features}.Failure_reporting.Same_title",
            $"{Features}.Failure_reporting.Same_title_2",
            $"{Features}.Feature_start_failure.First_scenario_after_the_failing_hook",
            $"{Features}.Feature_start_failure.Second_scenario_after_the_failing_hook",
            $"{Features}.Token_exchange.Token_response_carries_patient_context",
            $"{Features}.Token_exchange.Rows_without_unique_values_row1",
            $"{Features}.Token_exchange.Rows_without_unique_values_row2",
            $"{Features}.features_broken_Broken_feature.Feature_file_is_readable",
        }));
    }

    [Test]
    public void Outline_rows_run_with_their_example_values()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_full["Coverage_per_member_09_testmemid_02115"].Outcome, Is.EqualTo("Passed"));
            Assert.That(_full["Coverage_per_member_09_testmemid_02115"].StdOut, Does.Contain("member 09-testmemid postal code 02115"));
            Assert.That(_full["Coverage_per_member_10_testmemid_02116"].StdOut, Does.Contain("member 10-testmemid postal code 02116"));
            Assert.That(_full["Rows_without_unique_values_row2"].Outcome, Is.EqualTo("Passed"));
        });
    }

    [Test]
    public void Background_steps_run_first()
    {
        var output = _full["Coverage_lists_the_member_s_plans"].StdOut;
        Assert.That(output.IndexOf("Given the sandbox is running", StringComparison.Ordinal), Is.GreaterThanOrEqualTo(0).And.LessThan(
            output.IndexOf("Given these members:", StringComparison.Ordinal)));
    }

    [Test]
    public void Data_tables_and_doc_strings_reach_the_binding()
    {
        var result = _full["Coverage_lists_the_member_s_plans"];
        Assert.That(result.Outcome, Is.EqualTo("Passed"), result.Message);
        Assert.That(result.StdOut, Does.Contain("table and doc string received: 08-testmemid,09-testmemid"));
    }

    [Test]
    public void A_failing_step_fails_the_test_with_its_message()
    {
        var result = _full["A_failing_step_fails_the_test"];
        Assert.That(result.Outcome, Is.EqualTo("Failed"));
        Assert.That(result.Message, Does.Contain("coverage count for member 08-testmemid").And.Contain("Expected: 3"));
    }

    [Test]
    public void An_undefined_step_fails_with_the_binding_snippet()
    {
        var result = _full["An_undefined_step_fails_with_the_snippet"];
        Assert.That(result.Outcome, Is.EqualTo("Failed"));
        Assert.That(result.Message, Does.Contain("No matching step definition found")
            .And.Contain("[When(\"the member opens the unknown door {int} times\")]"));
    }

    [Test]
    public void A_pending_step_fails()
    {
        var result = _full["A_pending_step_fails"];
        Assert.That(result.Outcome, Is.EqualTo("Failed"));
        Assert.That(result.Message, Does.Contain("not implemented yet").And.Contain("SampleSteps.NotImplementedYet()"));
    }

    [Test]
    public void An_ignore_tag_skips_the_scenario()
    {
        var result = _full["An_ignored_scenario"];
        Assert.That(result.Outcome, Is.EqualTo("NotExecuted"));
        Assert.That(result.Message + result.StdOut, Does.Contain("Ignored by the @ignore tag"));
        Assert.That(result.StdOut, Does.Not.Contain("Then the coverage count"), "no step ran");
    }

    [Test]
    public void A_user_facing_error_in_a_step_shows_only_its_message()
    {
        var result = _full["A_wrong_setting_is_reported_without_a_stack_trace"];
        Assert.That(result.Outcome, Is.EqualTo("Failed"));
        Assert.That(result.Message.Trim(), Is.EqualTo("Setting 'Dic:ClientId' is missing. Set DIC_CLIENT_ID or TestRunParameters/Dic:ClientId."));
        Assert.That(result.StackTrace, Is.Empty);
    }

    [Test]
    public void A_failed_before_feature_hook_fails_every_scenario_of_the_feature_with_the_same_message()
    {
        foreach (var name in new[] { "First_scenario_after_the_failing_hook", "Second_scenario_after_the_failing_hook" })
        {
            Assert.That(_full[name].Outcome, Is.EqualTo("Failed"), name);
            Assert.That(_full[name].Message.Trim(), Is.EqualTo("Mailbox imap.invalid:993 is unreachable. Check Mail:ImapHost."), name);
            Assert.That(_full[name].StackTrace, Is.Empty, name);
        }
    }

    [Test]
    public void An_unreadable_feature_file_is_one_failed_test_naming_file_and_line()
    {
        var result = _full["Feature_file_is_readable"];
        Assert.That(result.Outcome, Is.EqualTo("Failed"));
        Assert.That(result.Message, Does.StartWith("features/broken/Broken.feature is not valid Gherkin").And.Contain("(4:5)"));
    }

    [Test]
    public void The_html_report_lists_every_executed_scenario_with_its_steps()
    {
        var envelopes = _messages.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var pickles = envelopes.Where(e => e.TryGetProperty("pickle", out _)).Select(e => e.GetProperty("pickle")).ToList();
        var testCases = envelopes.Where(e => e.TryGetProperty("testCase", out _)).Select(e => e.GetProperty("testCase")).ToList();
        var pickleIds = pickles.Select(p => p.GetProperty("id").GetString()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(envelopes.Count(e => e.TryGetProperty("gherkinDocument", out _)), Is.EqualTo(4), "one document per readable feature");
            Assert.That(pickles, Has.Count.EqualTo(17));
            // Run: every pickle but the ignored one and the two behind the failed [BeforeFeature] hook.
            Assert.That(testCases, Has.Count.EqualTo(14));
            Assert.That(testCases.Select(t => t.GetProperty("pickleId").GetString()), Is.SubsetOf(pickleIds).And.Unique);
            Assert.That(testCases.Sum(t => t.GetProperty("testSteps").GetArrayLength()), Is.EqualTo(
                envelopes.Count(e => e.TryGetProperty("testStepFinished", out _))), "every step of every test case reported");
            // The html report embeds the same messages: each run scenario appears as a test case of its pickle.
            foreach (var testCase in testCases)
                Assert.That(_htmlReport, Does.Contain($"\"pickleId\":\"{testCase.GetProperty("pickleId").GetString()}\""));
            foreach (var title in new[] { "Coverage lists the member's plans", "Coverage per member", "Token response carries patient context" })
                Assert.That(_htmlReport, Does.Contain($"\"name\":\"{title}\""));
        });
    }

    [Test]
    public async Task Colon_tags_filter_and_a_user_facing_run_start_failure_shows_only_its_message_on_every_test()
    {
        var run = await _sample.TestAsync("TestCategory=req:smart-token-response&TestCategory=severity:critical",
            runStartFailure: "Setting 'Sandbox:Port' must be a number (got 'abc'). Set DIC_SANDBOX_PORT.");

        Assert.That(run.Names, Is.EquivalentTo(new[]
        {
            "Coverage_per_member_08_testmemid_02114", "Coverage_per_member_09_testmemid_02115", "Coverage_per_member_10_testmemid_02116",
        }), "scenario tag and feature tag, both with a colon");
        foreach (var result in run.All)
        {
            Assert.That(result.Outcome, Is.EqualTo("Failed"), result.Name);
            Assert.That(result.Message.Trim(), Is.EqualTo("Setting 'Sandbox:Port' must be a number (got 'abc'). Set DIC_SANDBOX_PORT."), result.Name);
            Assert.That(result.StackTrace, Is.Empty, result.Name);
            Assert.That(result.StdOut, Does.Not.Contain("Given"), "no step ran");
        }
    }

    [Test]
    public async Task Name_and_examples_or_rule_tag_filters_and_an_unexpected_run_start_failure_names_the_hook()
    {
        var run = await _sample.TestAsync("FullyQualifiedName~Coverage_lookup&(TestCategory=extra|TestCategory=rule-tag)",
            runStartFailure: "bug: the harness broke");

        Assert.That(run.Names, Is.EquivalentTo(new[] { "Coverage_per_member_10_testmemid_02116", "Coverage_names_its_payer" }));
        foreach (var result in run.All)
        {
            Assert.That(result.Outcome, Is.EqualTo("Failed"), result.Name);
            Assert.That(result.Message, Does.Contain("The test run did not start ([BeforeTestRun] hook)").And.Contain("InvalidOperationException: bug: the harness broke"), result.Name);
            Assert.That(result.StackTrace, Does.Contain("FailTheRunStartWhenAsked"), "a bug keeps its stack trace");
        }
    }
}
