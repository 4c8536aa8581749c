using DigitalInsurance.Conformance.Tests.Checks;
using System.Text.RegularExpressions;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Redaction;
using DigitalInsurance.Conformance.Support.Reporting;
using NUnit.Framework;
using Reqnroll;
using Reqnroll.Bindings;

namespace DigitalInsurance.Conformance.Tests.Reporting;

public class AllureResultsWriterTests
{
    private static ScenarioSpec CoverageScenario(params KeyValuePair<string, string>[] examples) =>
        new("Coverage lists the member's plans",
            StepSpec.Given("the member has authorized the app"),
            StepSpec.And("the app holds an access token"),
            StepSpec.When("the app searches Coverage for the patient"),
            StepSpec.Then("every Coverage conforms to C4DIC Coverage"))
        {
            Tags = ["coverage", "severity:critical"],
            Description = "The payer answers with the member's coverage.",
            Examples = examples,
        };

    [Test]
    public void A_passing_scenario_is_one_result_file_with_the_fields_allure_reads()
    {
        using var folder = new AllureResultsFolder();
        var feature = folder.Script.Feature("Coverage lookup", "features/query/coverage.feature");

        folder.Script.RunScenario(feature, CoverageScenario());

        var result = folder.SingleResult();
        Assert.Multiple(() =>
        {
            Assert.That(result.Str("uuid"), Does.Match("^[0-9a-f-]{36}$"));
            Assert.That(File.Exists(Path.Combine(folder.Directory, result.Str("uuid") + "-result.json")), "file named after the uuid");
            Assert.That(result.Str("name"), Is.EqualTo("Coverage lists the member's plans"));
            Assert.That(result.Str("fullName"), Is.EqualTo("features/query/coverage.feature: Coverage lists the member's plans"));
            Assert.That(result.Str("testCaseId"), Does.Match("^[0-9a-f]{32}$"));
            Assert.That(result.Str("historyId"), Does.Match("^[0-9a-f]{32}$"));
            Assert.That(result["titlePath"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { "features", "query", "Coverage lookup" }));
            Assert.That(result.Str("status"), Is.EqualTo("passed"));
            Assert.That(result.Str("stage"), Is.EqualTo("finished"));
            Assert.That(result["start"]!.GetValue<long>(), Is.GreaterThan(0).And.LessThanOrEqualTo(result["stop"]!.GetValue<long>()));
            Assert.That(result.Str("description"), Does.Contain("Scenario: Coverage lists the member's plans")
                .And.Contain("Given the member has authorized the app").And.Contain("And the app holds an access token")
                .And.Contain("@coverage @severity:critical").And.Contain("The payer answers with the member's coverage."));
            Assert.That(result.Objects("steps").Select(s => s.Str("name")), Is.EqualTo(new[]
            {
                "Given the member has authorized the app", "And the app holds an access token",
                "When the app searches Coverage for the patient", "Then every Coverage conforms to C4DIC Coverage",
            }));
            Assert.That(result.Objects("steps").Select(s => s.Str("status")), Is.All.EqualTo("passed"));
        });
    }

    [Test]
    public void Labels_name_the_epic_feature_story_suites_tags_severity_and_target()
    {
        using var folder = new AllureResultsFolder(new AllureRunInfo { Target = "Demo Health Plan" });
        var feature = folder.Script.Feature("Coverage lookup");

        folder.Script.RunScenario(feature, CoverageScenario() with { Rule = new RuleInfo("A member sees only their plans", "", []) });

        var result = folder.SingleResult();
        Assert.Multiple(() =>
        {
            Assert.That(result.LabelValues("epic"), Is.EqualTo(new[] { "Digital Insurance Card conformance" }));
            Assert.That(result.LabelValues("feature"), Is.EqualTo(new[] { "Coverage lookup" }));
            Assert.That(result.LabelValues("story"), Is.EqualTo(new[] { "A member sees only their plans" }));
            Assert.That(result.LabelValues("parentSuite"), Is.EqualTo(new[] { "Demo Health Plan" }));
            Assert.That(result.LabelValues("suite"), Is.EqualTo(new[] { "Coverage lookup" }));
            Assert.That(result.LabelValues("subSuite"), Is.EqualTo(new[] { "A member sees only their plans" }));
            Assert.That(result.LabelValues("tag"), Is.EqualTo(new[] { "coverage" }));
            Assert.That(result.LabelValues("severity"), Is.EqualTo(new[] { "critical" }));
            Assert.That(result.LabelValues("target"), Is.EqualTo(new[] { "Demo Health Plan" }));
            Assert.That(result.LabelValues("framework"), Is.EqualTo(new[] { "reqnroll" }));
            Assert.That(result.LabelValues("language"), Is.EqualTo(new[] { "c#" }));
            Assert.That(result.LabelValues("host"), Is.EqualTo(new[] { Environment.MachineName }));
            Assert.That(result.LabelValues("thread").Single(), Does.StartWith("worker "));
        });
    }

    [Test]
    public void Without_a_severity_tag_the_severity_is_normal_and_the_story_is_the_scenario()
    {
        using var folder = new AllureResultsFolder();
        folder.Script.RunScenario(folder.Script.Feature("Coverage lookup"), CoverageScenario() with { Tags = [] });

        var result = folder.SingleResult();
        Assert.That(result.LabelValues("severity"), Is.EqualTo(new[] { "normal" }));
        Assert.That(result.LabelValues("story"), Is.EqualTo(new[] { "Coverage lists the member's plans" }));
    }

    [Test]
    public void Parameters_carry_example_values_target_and_run_values_with_volatile_ones_excluded_and_secrets_masked()
    {
        var email = $"member+{Guid.NewGuid():N}@dic-conformance.example";
        Secrets.Register(email, "member email");
        var run = new AllureRunInfo
        {
            Target = "sandbox",
            Parameters =
            [
                new RunParameter("member", "08-testmemid"),
                new RunParameter("run id", "run-20261128-1", Excluded: true),
                new RunParameter("member email", email, Excluded: true, Secret: true),
            ],
        };
        using var folder = new AllureResultsFolder(run);

        folder.Script.RunScenario(folder.Script.Feature("Coverage lookup"), CoverageScenario(new("memberId", "08-testmemid"), new("postalCode", "02114")));

        var result = folder.SingleResult();
        Assert.Multiple(() =>
        {
            Assert.That(result.Objects("parameters").Select(p => p.Str("name")),
                Is.EqualTo(new[] { "memberId", "postalCode", "target", "member", "run id", "member email" }));
            Assert.That(result.Parameter("postalCode").Str("value"), Is.EqualTo("02114"));
            Assert.That(result.Parameter("target").Str("value"), Is.EqualTo("sandbox"));
            Assert.That(result.Parameter("run id")["excluded"]!.GetValue<bool>(), Is.True);
            Assert.That(result.Parameter("member")["excluded"], Is.Null, "stable values stay in the history identity");
            Assert.That(result.Parameter("member email").Str("mode"), Is.EqualTo("masked"));
            Assert.That(result.Parameter("member email").Str("value"), Is.EqualTo("[redacted member email]"));
            Assert.That(result.Str("fullName"), Does.EndWith("Coverage lists the member's plans [memberId=08-testmemid, postalCode=02114]"));
            Assert.That(result.Str("description"), Does.Contain("Scenario Outline:").And.Contain("memberId = 08-testmemid"));
        });
    }

    [Test]
    public void Test_case_and_history_ids_are_the_same_in_another_run_and_differ_per_example_row_and_target()
    {
        (string FullName, string TestCaseId, string HistoryId, string Uuid) RunOnce(string target, string postalCode)
        {
            using var folder = new AllureResultsFolder(new AllureRunInfo
            {
                Target = target,
                Parameters = [new RunParameter("run id", Guid.NewGuid().ToString(), Excluded: true)],
            });
            folder.Script.RunScenario(folder.Script.Feature("Coverage lookup", "features/query/coverage.feature"),
                CoverageScenario(new KeyValuePair<string, string>("postalCode", postalCode)));
            var result = folder.SingleResult();
            return (result.Str("fullName"), result.Str("testCaseId"), result.Str("historyId"), result.Str("uuid"));
        }

        var first = RunOnce("sandbox", "02114");
        var second = RunOnce("sandbox", "02114");
        var otherRow = RunOnce("sandbox", "02115");
        var otherTarget = RunOnce("Demo Health Plan", "02114");

        Assert.Multiple(() =>
        {
            Assert.That(second.Uuid, Is.Not.EqualTo(first.Uuid));
            Assert.That(second.FullName, Is.EqualTo(first.FullName));
            Assert.That(second.TestCaseId, Is.EqualTo(first.TestCaseId));
            Assert.That(second.HistoryId, Is.EqualTo(first.HistoryId), "the excluded run id does not change the history");
            Assert.That(otherRow.TestCaseId, Is.Not.EqualTo(first.TestCaseId));
            Assert.That(otherTarget.TestCaseId, Is.EqualTo(first.TestCaseId));
            Assert.That(otherTarget.HistoryId, Is.Not.EqualTo(first.HistoryId));
        });
    }

    [Test]
    public void Scenarios_with_the_same_title_stay_separate_tests_instead_of_retries()
    {
        using var folder = new AllureResultsFolder();
        var feature = folder.Script.Feature("Failure reporting", "features/failures.feature");
        folder.Script.RunScenario(feature, new ScenarioSpec("Same title", StepSpec.Given("a step")));
        folder.Script.RunScenario(feature, new ScenarioSpec("Same title", StepSpec.Given("a step")));

        var results = folder.Results();
        Assert.That(results.Select(r => r.Str("fullName")), Is.EquivalentTo(new[]
        {
            "features/failures.feature: Same title", "features/failures.feature: Same title #2",
        }));
        Assert.That(results.Select(r => r.Str("testCaseId")).Distinct().Count(), Is.EqualTo(2));
        Assert.That(results.Select(r => r.Str("historyId")).Distinct().Count(), Is.EqualTo(2));
    }

    [Test]
    public void A_conformance_failure_fails_its_step_skips_the_rest_and_fails_the_scenario()
    {
        using var folder = new AllureResultsFolder();
        var scenario = CoverageScenario() with
        {
            Steps =
            [
                StepSpec.Given("the member has authorized the app"),
                StepSpec.When("the app searches Coverage for the patient",
                    _ => TestChecks.Default().Fail(Requirements.C4dicCoveragePayor, "Coverage.payor must reference the payer Organization.", "Coverage/1 has no payor")),
                StepSpec.Then("every Coverage conforms to C4DIC Coverage"),
                StepSpec.And("the payer is named"),
            ],
        };

        folder.Script.RunScenario(folder.Script.Feature("Coverage lookup"), scenario);

        var result = folder.SingleResult();
        var steps = result.Objects("steps");
        Assert.Multiple(() =>
        {
            Assert.That(result.Str("status"), Is.EqualTo("failed"));
            Assert.That(result["statusDetails"].Str("message"), Does.StartWith("[c4dic-coverage-payor] Coverage.payor must reference"));
            // A payer's non-conformance is a verdict, not a harness fault: no .NET stack trace, the rule's two sides instead.
            Assert.That(result["statusDetails"].Str("trace"), Is.Empty);
            Assert.That(result["statusDetails"].Str("expected"), Is.EqualTo("Coverage.payor must reference the payer Organization."));
            Assert.That(result["statusDetails"].Str("actual"), Is.EqualTo("Coverage/1 has no payor"));
            Assert.That(steps.Select(s => s.Str("status")), Is.EqualTo(new[] { "passed", "failed", "skipped", "skipped" }));
            Assert.That(steps[1]["statusDetails"].Str("message"), Does.Contain("Coverage/1 has no payor"));
            Assert.That(steps[2]["statusDetails"]!["message"], Is.Null);
        });
    }

    [Test]
    public void An_nunit_assertion_fails_but_an_infrastructure_error_breaks_with_its_cause_in_the_message()
    {
        using var folder = new AllureResultsFolder();
        var feature = folder.Script.Feature("Token exchange");
        folder.Script.RunScenario(feature, new ScenarioSpec("Assertion",
            StepSpec.Then("the token type is Bearer", _ => throw new AssertionException("Expected: \"Bearer\" But was: \"mac\""))));
        folder.Script.RunScenario(feature, new ScenarioSpec("Connectivity",
            StepSpec.When("the app exchanges the code", _ => throw new HttpRequestException("Connection refused (127.0.0.1:5999)",
                new System.Net.Sockets.SocketException(111)))));

        var byName = folder.Results().ToDictionary(r => r.Str("name"));
        Assert.Multiple(() =>
        {
            Assert.That(byName["Assertion"].Str("status"), Is.EqualTo("failed"));
            Assert.That(byName["Connectivity"].Str("status"), Is.EqualTo("broken"));
            Assert.That(byName["Connectivity"]["statusDetails"].Str("message"),
                Does.StartWith("HttpRequestException: Connection refused (127.0.0.1:5999) → SocketException:"));
            Assert.That(Regex.IsMatch(byName["Connectivity"]["statusDetails"].Str("message"),
                AllureCategories.All.Single(c => c.Name == "Connectivity or timeout").MessageRegex!), "the connectivity category matches it");
            Assert.That(byName["Connectivity"]["statusDetails"].Str("trace"), Does.Contain("HttpRequestException").And.Contain(" at "),
                "a harness error keeps its stack trace");
        });
    }

    [Test]
    public void Undefined_steps_break_ignored_scenarios_and_ignore_exceptions_skip()
    {
        using var folder = new AllureResultsFolder();
        var feature = folder.Script.Feature("Failure reporting");
        folder.Script.RunScenario(feature, new ScenarioSpec("Undefined",
            StepSpec.Given("the member has authorized the app"),
            StepSpec.When("nobody wrote this step") with { Undefined = true },
            StepSpec.Then("nothing is judged")));
        folder.Script.RunScenario(feature, new ScenarioSpec("Ignored", StepSpec.Given("anything")) { Ignored = true });
        folder.Script.RunScenario(feature, new ScenarioSpec("Ignored at run time",
            StepSpec.Given("an optional capability", _ => throw new IgnoreException("The server does not advertise openid."))));

        var byName = folder.Results().ToDictionary(r => r.Str("name"));
        Assert.Multiple(() =>
        {
            Assert.That(byName["Undefined"].Str("status"), Is.EqualTo("broken"));
            Assert.That(byName["Undefined"]["statusDetails"].Str("message"), Is.EqualTo("Undefined: no step definition matches \"When nobody wrote this step\"."));
            Assert.That(byName["Undefined"].Objects("steps").Select(s => s.Str("status")), Is.EqualTo(new[] { "passed", "broken", "skipped" }));
            Assert.That(byName["Ignored"].Str("status"), Is.EqualTo("skipped"));
            Assert.That(byName["Ignored at run time"].Str("status"), Is.EqualTo("skipped"));
            Assert.That(byName["Ignored at run time"]["statusDetails"].Str("message"), Is.EqualTo("The server does not advertise openid."));
        });
    }

    [Test]
    public void A_scenario_nunit_never_runs_can_still_be_listed_as_skipped()
    {
        using var folder = new AllureResultsFolder();
        var feature = folder.Script.Feature("Failure reporting", "features/failures.feature");
        var scenario = new ScenarioInfo("An ignored scenario", "", ["ignore"], new System.Collections.Specialized.OrderedDictionary(), [], "3");

        AllureExecutionListener.WriteNotRun(folder.Writer, feature, scenario, null, AllureStatus.Skipped, "Ignored by the @ignore tag", ["Then the coverage count is 3"]);

        var result = folder.SingleResult();
        Assert.Multiple(() =>
        {
            Assert.That(result.Str("status"), Is.EqualTo("skipped"));
            Assert.That(result["statusDetails"].Str("message"), Is.EqualTo("Ignored by the @ignore tag"));
            Assert.That(result.Str("fullName"), Is.EqualTo("features/failures.feature: An ignored scenario"));
            Assert.That(result.Objects("steps").Select(s => (s.Str("name"), s.Str("status"))), Is.EqualTo(new[] { ("Then the coverage count is 3", "skipped") }));
            Assert.That(result.Str("description"), Does.Contain("@ignore").And.Contain("Scenario: An ignored scenario").And.Contain("Then the coverage count is 3"));
        });
    }

    [Test]
    public void Evidence_is_attached_to_the_step_that_recorded_it_as_files_next_to_the_results()
    {
        using var folder = new AllureResultsFolder();
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3 };
        folder.Script.RunScenario(folder.Script.Feature("Coverage lookup"), new ScenarioSpec("Evidence",
            StepSpec.Given("the member is enrolled", e => e.Add("Consent page", "image/png", "png", png)),
            StepSpec.When("the app searches Coverage", e => e.AddText("GET /r4/Coverage?patient=1 → 200", "text/plain", "txt", "{\"resourceType\":\"Bundle\"}")),
            StepSpec.Then("it conforms") with { Table = SampleTable() }));

        var steps = folder.SingleResult().Objects("steps");
        var screenshot = steps[0].Objects("attachments").Single();
        var exchange = steps[1].Objects("attachments").Single();
        var table = steps[2].Objects("attachments").Single();
        Assert.Multiple(() =>
        {
            Assert.That(screenshot.Str("name"), Is.EqualTo("Consent page"));
            Assert.That(screenshot.Str("type"), Is.EqualTo("image/png"));
            Assert.That(screenshot.Str("source"), Does.Match("^[0-9a-f-]{36}-attachment\\.png$"));
            Assert.That(File.ReadAllBytes(Path.Combine(folder.Directory, screenshot.Str("source"))), Is.EqualTo(png));
            Assert.That(exchange.Str("name"), Is.EqualTo("GET /r4/Coverage?patient=1 → 200"));
            Assert.That(folder.ReadFile(exchange.Str("source")), Is.EqualTo("{\"resourceType\":\"Bundle\"}"));
            Assert.That(table.Str("name"), Is.EqualTo("Data table"));
            Assert.That(folder.ReadFile(table.Str("source")), Does.Contain("| profile  | count |"));
        });
    }

    [Test]
    public void Scenario_hooks_are_a_container_of_the_result_with_their_status_timing_and_evidence()
    {
        using var folder = new AllureResultsFolder();
        folder.Script.RunScenario(folder.Script.Feature("Authorize"), new ScenarioSpec("Hooks", StepSpec.Given("a step"))
        {
            BeforeScenario = [e => e.AddText("Browser", "text/plain", "txt", "Chromium 156")],
            AfterScenario = [_ => { }],
        });

        var result = folder.SingleResult();
        var container = folder.Containers().Single();
        var before = container.Objects("befores").Single();
        Assert.Multiple(() =>
        {
            Assert.That(container["children"]!.AsArray().Select(c => c!.GetValue<string>()), Is.EqualTo(new[] { result.Str("uuid") }));
            Assert.That(before.Str("name"), Is.EqualTo("Before scenario: ScenarioEventScript.SampleHook"));
            Assert.That(before.Str("status"), Is.EqualTo("passed"));
            Assert.That(before["start"]!.GetValue<long>(), Is.LessThanOrEqualTo(before["stop"]!.GetValue<long>()));
            Assert.That(before.Objects("attachments").Single().Str("name"), Is.EqualTo("Browser"));
            Assert.That(container.Objects("afters").Single().Str("name"), Is.EqualTo("After scenario: ScenarioEventScript.SampleHook"));
        });
    }

    [Test]
    public void A_failing_before_scenario_hook_is_broken_and_its_scenario_too_with_every_step_skipped()
    {
        using var folder = new AllureResultsFolder();
        folder.Script.RunScenario(folder.Script.Feature("Authorize"), new ScenarioSpec("Hook fails",
            StepSpec.Given("a step"), StepSpec.Then("another"))
        {
            BeforeScenario = [_ => throw new InvalidOperationException("Chromium did not start: /usr/bin/chromium exited with code 1.")],
        });

        var result = folder.SingleResult();
        var before = folder.Containers().Single().Objects("befores").Single();
        Assert.Multiple(() =>
        {
            Assert.That(before.Str("status"), Is.EqualTo("broken"));
            Assert.That(before["statusDetails"].Str("message"), Does.StartWith("InvalidOperationException: Chromium did not start"));
            Assert.That(result.Str("status"), Is.EqualTo("broken"));
            Assert.That(result.Objects("steps").Select(s => s.Str("status")), Is.All.EqualTo("skipped"));
        });
    }

    [Test]
    public void Feature_hooks_parent_every_scenario_of_the_feature_and_test_run_hooks_every_result()
    {
        using var folder = new AllureResultsFolder();
        folder.Script.RunHook(HookType.BeforeTestRun, () => { });
        var feature = folder.Script.Feature("Coverage lookup");
        folder.Script.StartFeature(feature, _ => { });
        folder.Script.RunScenario(feature, new ScenarioSpec("One", StepSpec.Given("a step")));
        folder.Script.RunScenario(feature, new ScenarioSpec("Two", StepSpec.Given("a step")));
        folder.Script.FinishFeature(feature, () => { });
        var other = folder.Script.Feature("Organization lookup");
        folder.Script.StartFeature(other);
        folder.Script.RunScenario(other, new ScenarioSpec("Three", StepSpec.Given("a step")));
        folder.Script.FinishFeature(other);
        folder.Script.RunHook(HookType.AfterTestRun, () => { });
        folder.Script.FinishRun();

        var uuids = folder.Results().ToDictionary(r => r.Str("name"), r => r.Str("uuid"));
        var containers = folder.Containers();
        var featureContainer = containers.Single(c => c.Str("name") == "Coverage lookup");
        var runContainer = containers.Single(c => c.Str("name") == "Test run hooks");
        Assert.Multiple(() =>
        {
            Assert.That(containers, Has.Count.EqualTo(2), "a feature without hooks writes no container");
            Assert.That(featureContainer["children"]!.AsArray().Select(c => c!.GetValue<string>()), Is.EquivalentTo(new[] { uuids["One"], uuids["Two"] }));
            Assert.That(featureContainer.Objects("befores").Single().Str("name"), Does.StartWith("Before feature:"));
            Assert.That(featureContainer.Objects("afters").Single().Str("name"), Does.StartWith("After feature:"));
            Assert.That(runContainer["children"]!.AsArray().Select(c => c!.GetValue<string>()), Is.EquivalentTo(uuids.Values));
            Assert.That(runContainer.Objects("befores").Single().Str("name"), Does.StartWith("Before test run:"));
        });
    }

    [Test]
    public void A_passing_scenario_with_validation_warnings_is_marked_for_its_category()
    {
        using var folder = new AllureResultsFolder();
        folder.Script.RunScenario(folder.Script.Feature("Validation"), new ScenarioSpec("Warnings",
            StepSpec.Then("the Patient conforms", e => e.AddWarning("Patient.telecom: Cannot find valueset 'IECColourManagement'"))));

        var result = folder.SingleResult();
        var category = AllureCategories.All.Single(c => c.Name == "Passed with validation warnings");
        Assert.Multiple(() =>
        {
            Assert.That(result.Str("status"), Is.EqualTo("passed"));
            Assert.That(result["statusDetails"].Str("message"), Is.EqualTo("Validation warnings (1): Patient.telecom: Cannot find valueset 'IECColourManagement'"));
            Assert.That(Regex.IsMatch(result["statusDetails"].Str("message"), "^(?:" + category.MessageRegex + ")$"), "matches as Allure 2 matches: whole message");
            Assert.That(result.LabelValues("tag"), Does.Contain("validation-warnings"));
        });
    }

    [Test]
    public void No_registered_secret_appears_in_any_written_file()
    {
        var token = "opaque-access-" + Guid.NewGuid().ToString("N");
        // Letters too, so the code cannot turn up by chance inside a timestamp.
        var code = "VC" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var clientSecret = "cs-" + Guid.NewGuid().ToString("N");
        using var folder = new AllureResultsFolder(new AllureRunInfo
        {
            Target = "sandbox",
            Parameters = [new RunParameter("client secret", clientSecret, Secret: true)],
            ExtraEnvironment = new Dictionary<string, string> { ["client"] = "secret is " + clientSecret },
        });
        Secrets.Register(clientSecret, "client secret");
        Secrets.Register(code, "verification code");

        folder.Script.RunScenario(folder.Script.Feature("Token exchange"), new ScenarioSpec("Secrets everywhere",
            StepSpec.Given("the member typed the code", e =>
            {
                // Recorded raw before anyone registered the token: the writer must still catch it on the way out.
                e.Add("Token response", "application/json", "json", System.Text.Encoding.UTF8.GetBytes($"{{\"access_token\":\"{token}\",\"code\":\"{code}\"}}"));
                Secrets.Register(token, "access token");
            }),
            StepSpec.Then("the token works", _ => throw new InvalidOperationException($"Token {token} rejected after code {code} with secret {clientSecret}")))
        {
            BeforeScenario = [e => e.Add("Form", "text/plain", "txt", System.Text.Encoding.UTF8.GetBytes("client_secret=" + clientSecret))],
        });
        folder.Writer.WriteRunFiles();

        var files = folder.AllFiles().ToList();
        Assert.That(files.Select(f => f.Name), Has.Some.EndsWith("-attachment.json").And.Some.EndsWith("-container.json").And.Some.EqualTo("environment.properties"));
        foreach (var (name, text) in files)
        {
            Assert.That(text, Does.Not.Contain(token), name);
            Assert.That(text, Does.Not.Contain(code), name);
            Assert.That(text, Does.Not.Contain(clientSecret), name);
        }
        Assert.That(folder.SingleResult()["statusDetails"].Str("message"), Does.Contain("[redacted access token]").And.Contain("[redacted client secret]"));
    }

    private static Table SampleTable()
    {
        var table = new Table("profile", "count");
        table.AddRow("Coverage", "2");
        return table;
    }
}
