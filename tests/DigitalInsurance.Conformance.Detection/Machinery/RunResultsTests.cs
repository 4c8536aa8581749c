using DigitalInsurance.Conformance.Detection.Runs;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Detection.Machinery;

/// <summary>Reading a run's TRX (verdicts) with its NUnit result XML (tags), on files shaped like the real ones.</summary>
[TestFixture, Category("detection")]
public sealed class RunResultsTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), $"run-results-{Guid.NewGuid():N}"));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Each_TRX_result_gets_its_outcome_message_title_and_tags()
    {
        var problems = new List<string>();
        var results = RunResults.Read(Write("run.trx", Trx("Completed", 2)), Write("nunit.xml", NUnitXml), problems);

        Assert.That(problems, Is.Empty);
        Assert.That(results, Has.Count.EqualTo(2));
        var failed = results.Single(r => r.Outcome == ScenarioOutcome.Failed);
        Assert.That(failed.Title, Is.EqualTo("Each Coverage names the member as its beneficiary"));
        Assert.That(failed.Categories, Is.EquivalentTo(new[] { "fhir", "coverage", "req:c4dic-coverage-beneficiary" }));
        Assert.That(failed.Message, Is.EqualTo("[c4dic-coverage-beneficiary] Every Coverage must name the member."));
        Assert.That(results.Single(r => r.Outcome == ScenarioOutcome.Passed).Categories, Does.Contain("req:fhir-read"));
    }

    [Test]
    public void A_crashed_run_a_short_TRX_and_missing_tags_are_problems()
    {
        var problems = new List<string>();
        RunResults.Read(Write("run.trx", Trx("Aborted", 5)), null, problems);

        Assert.That(problems, Has.Some.StartsWith("The run ended abnormally (TRX outcome Aborted): Test host process crashed"));
        Assert.That(problems, Has.Some.EqualTo("The TRX counts 5 tests but holds 2 results: the run did not finish every test."));
        Assert.That(problems, Has.Some.StartsWith("The run wrote no NUnit result XML"));
    }

    [Test]
    public void No_TRX_at_all_is_a_problem_pointing_at_the_log()
    {
        var problems = new List<string>();
        Assert.That(RunResults.Read(null, null, problems), Is.Empty);
        Assert.That(problems.Single(), Does.Contain("dotnet-test.log"));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Trx(string outcome, int total) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
            <UnitTestResult testId="a" testName="Each_Coverage_names_the_member_as_its_beneficiary" outcome="Failed">
              <Output><ErrorInfo><Message>[c4dic-coverage-beneficiary] Every Coverage must name the member.</Message><StackTrace>at Check.Fail</StackTrace></ErrorInfo></Output>
            </UnitTestResult>
            <UnitTestResult testId="b" testName="Each_Coverage_can_be_read_by_id_and_matches_the_search_result" outcome="Passed" />
          </Results>
          <TestDefinitions>
            <UnitTest name="Each_Coverage_names_the_member_as_its_beneficiary" id="a">
              <TestMethod className="DigitalInsurance.Conformance.Features.Coverage_the_member_s_insurance_card" name="Each_Coverage_names_the_member_as_its_beneficiary" />
            </UnitTest>
            <UnitTest name="Each_Coverage_can_be_read_by_id_and_matches_the_search_result" id="b">
              <TestMethod className="DigitalInsurance.Conformance.Features.Coverage_the_member_s_insurance_card" name="Each_Coverage_can_be_read_by_id_and_matches_the_search_result" />
            </UnitTest>
          </TestDefinitions>
          <ResultSummary outcome="{outcome}">
            <Counters total="{total}" executed="2" passed="1" failed="1" />
            <RunInfos><RunInfo outcome="Error"><Text>Test host process crashed</Text></RunInfo></RunInfos>
          </ResultSummary>
        </TestRun>
        """;

    private const string NUnitXml = """
        <?xml version="1.0" encoding="utf-8"?>
        <test-run>
          <test-suite type="ParameterizedFixture" fullname="DigitalInsurance.Conformance.Features.Coverage_the_member_s_insurance_card">
            <test-case name="Each_Coverage_names_the_member_as_its_beneficiary" fullname="DigitalInsurance.Conformance.Features.Coverage_the_member_s_insurance_card.Each_Coverage_names_the_member_as_its_beneficiary" result="Failed">
              <properties>
                <property name="Description" value="Each Coverage names the member as its beneficiary" />
                <property name="Category" value="fhir" />
                <property name="Category" value="coverage" />
                <property name="Category" value="req:c4dic-coverage-beneficiary" />
              </properties>
            </test-case>
            <test-case name="Each_Coverage_can_be_read_by_id_and_matches_the_search_result" fullname="DigitalInsurance.Conformance.Features.Coverage_the_member_s_insurance_card.Each_Coverage_can_be_read_by_id_and_matches_the_search_result" result="Passed">
              <properties>
                <property name="Description" value="Each Coverage can be read by id and matches the search result" />
                <property name="Category" value="req:fhir-read" />
              </properties>
            </test-case>
          </test-suite>
        </test-run>
        """;
}
