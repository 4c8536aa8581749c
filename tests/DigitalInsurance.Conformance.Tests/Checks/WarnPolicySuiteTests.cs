using DigitalInsurance.Conformance.Tests.Browser;
using DigitalInsurance.Conformance.Tests.Runner;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Checks;

/// <summary>
/// The suite as a user runs it, with the policy setting making a rule warn and a sandbox fault breaking that rule: the
/// scenarios that need what the rule guarantees (the patient in context, a parseable answer, the member's own record)
/// are skipped with a note naming the rule, the others pass; none fails and none crashes (with the rule required, the
/// same runs fail, and before these paths respected the policy they ended in NullReferenceExceptions).
/// </summary>
[TestFixture, NonParallelizable, Category("EndToEnd")]
public sealed class WarnPolicySuiteTests
{
    private Task<TestRunResults> _withoutPatient = null!;
    private Task<TestRunResults> _unparseable = null!;

    /// <summary>The two inner runs are independent (own sandboxes on free ports): both start at once, each test awaits its own.</summary>
    [OneTimeSetUp]
    public void StartBothRuns()
    {
        _withoutPatient = RunAsync("token-missing-patient", "smart-token-patient-context=warn",
            "TestCategory=security|TestCategory=req:smart-token-patient-context");
        _unparseable = RunAsync("malformed-json", "fhir-search=warn;fhir-read=warn", "TestCategory=req:fhir-read-only|TestCategory=req:fhir-read");
    }

    [OneTimeTearDown]
    public async Task WaitForBothRuns()
    {
        // A test that failed early must not leave an inner run behind.
        try { await Task.WhenAll(_withoutPatient, _unparseable); }
        catch (Exception e) when (e is not OutOfMemoryException) { /* each test reported its own run's failure */ }
    }

    [Test]
    public async Task Without_a_patient_in_context_at_warn_the_scenarios_that_start_from_it_are_skipped_and_none_fails()
    {
        var results = await _withoutPatient;

        Assert.Multiple(() =>
        {
            Assert.That(results.All.Where(r => r.Outcome is not ("Passed" or "NotExecuted")).Select(r => $"{r.Name}: {r.Message}"), Is.Empty);
            Assert.That(results["The_token_response_names_the_member_s_patient_in_context"].Outcome, Is.EqualTo("Passed"), "the missing patient is a warning there");
            foreach (var name in new[]
                     {
                         "Updating_the_member_s_Patient_with_a_read_only_token_is_refused_and_changes_nothing",
                         "Requests_without_an_access_token_are_refused_with_401",
                         "Another_member_s_Patient_and_Coverages_cannot_be_read_with_the_member_s_token",
                     })
            {
                Assert.That(results[name].Outcome, Is.EqualTo("NotExecuted"), name);
                Assert.That(results[name].Message, Does.Contain("Not checked: ").And.Contain("because [smart-token-patient-context] did not hold"), name);
            }
        });
    }

    [Test]
    public async Task With_unparseable_answers_at_warn_the_scenarios_are_skipped_naming_the_rule_instead_of_crashing()
    {
        var results = await _unparseable;

        Assert.Multiple(() =>
        {
            Assert.That(results.All, Is.Not.Empty);
            Assert.That(results.All.Where(r => r.Outcome != "NotExecuted").Select(r => $"{r.Name}: {r.Outcome} {r.Message}"), Is.Empty);
            Assert.That(results.All.Select(r => r.Message), Has.All.Match(@"^Not checked: .*because \[fhir-(search|read)\] did not hold"));
            Assert.That(results["Updating_the_member_s_Patient_with_a_read_only_token_is_refused_and_changes_nothing"].Message,
                Does.Contain("as it cannot be read to compare before and after"), "the member's own record is read before the write");
        });
    }

    private static async Task<TestRunResults> RunAsync(string fault, string policy, string filter)
    {
        var allure = Path.Combine(Path.GetTempPath(), $"dic-warn-allure-{Guid.NewGuid():N}");
        try
        {
            var (results, output) = await ConformanceSuiteProcess.RunAsync(
                new Dictionary<string, string> { ["DIC_SANDBOX_FAULTS"] = fault, ["DIC_POLICY"] = policy, ["DIC_ALLURE_RESULTS_PATH"] = allure },
                TimeSpan.FromMinutes(5),
                "--filter", filter, "--settings", Path.Combine(RepositoryFiles.Root, "runsettings", "sandbox.runsettings"));
            TestContext.Out.WriteLine(string.Join(Environment.NewLine, results.All.Select(r => $"{r.Outcome} {r.Name}: {r.Message}")));
            if (results.All.Count == 0) TestContext.Out.WriteLine(output);
            return results;
        }
        finally
        {
            if (Directory.Exists(allure)) Directory.Delete(allure, recursive: true);
        }
    }
}
