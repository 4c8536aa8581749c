using DigitalInsurance.Conformance.Detection.Table;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Detection.Machinery;

/// <summary>What a row of faults.json may say, and the one-line errors for what it may not.</summary>
[TestFixture, Category("detection")]
public sealed class DetectionTableParsingTests
{
    [Test]
    public void A_requirement_tag_selector_names_its_own_requirement_as_the_rule()
    {
        var row = TestTables.Row("state-not-echoed", """{ "filter": "TestCategory=authorization", "mustFail": [ { "scenarios": "req:smart-state-echo" } ] }""");

        Assert.That(row.Filter, Is.EqualTo("TestCategory=authorization"));
        Assert.That(row.MustFail.Single().Rules, Is.EqualTo(new[] { "smart-state-echo" }));
        Assert.That(row.MustFail.Single().IsSatisfiedBy("[smart-state-echo] The redirect must carry the state sent."), Is.True);
        Assert.That(row.MustFail.Single().IsSatisfiedBy("[smart-authorization-code] no code"), Is.False);
    }

    [Test]
    public void A_selector_with_one_requirement_tag_among_others_names_that_requirement_as_the_rule()
    {
        var row = TestTables.Row("coverage-missing-beneficiary", """{ "mustFail": [ { "scenarios": "req:c4dic-must-support&coverage" } ] }""");
        Assert.That(row.MustFail.Single().Rules, Is.EqualTo(new[] { "c4dic-must-support" }));
    }

    [Test]
    public void Environment_and_run_bound_are_per_row_with_the_table_default()
    {
        var table = TestTables.Load("""
            { "runTimeoutSeconds": 700, "cleanRuns": 3, "faults": {
                "slow-response": { "environment": { "DIC_HTTP_TIMEOUT_SECONDS": "10" }, "runTimeoutSeconds": 300,
                                   "mustFail": [ { "scenarios": "fhir", "rules": ["fhir-response-time"], "message": "did not answer within" } ] },
                "server-error": { "mustFail": [ { "scenarios": "fhir", "rules": ["fhir-search", "fhir-read"] } ] } } }
            """);

        Assert.That(table.CleanRuns, Is.EqualTo(3));
        Assert.That(table.Faults["slow-response"].Environment["DIC_HTTP_TIMEOUT_SECONDS"], Is.EqualTo("10"));
        Assert.That(table.Faults["slow-response"].RunTimeout, Is.EqualTo(TimeSpan.FromSeconds(300)));
        Assert.That(table.Faults["server-error"].RunTimeout, Is.EqualTo(TimeSpan.FromSeconds(700)));
        Assert.That(table.Faults["slow-response"].MustFail.Single().IsSatisfiedBy("[fhir-response-time] GET /r4/Patient must be answered within 10 s"), Is.False);
        Assert.That(table.Faults["slow-response"].MustFail.Single().IsSatisfiedBy("[fhir-response-time] x. Observed: the server did not answer within 10 s"), Is.True);
    }

    [Test]
    public void A_rule_ending_in_a_star_covers_a_family_of_requirements()
    {
        var expectation = TestTables.Row("malformed-json",
            """{ "mustFail": [ { "scenarios": "search", "rules": ["c4dic-search-*"], "message": "not a FHIR JSON resource" } ] }""").MustFail.Single();

        Assert.That(expectation.NamedRule("[c4dic-search-include-payor] The answer must be a FHIR JSON resource. Observed: the body is not a FHIR JSON resource: x"),
            Is.EqualTo("c4dic-search-include-payor"));
        Assert.That(expectation.NamedRule("[c4dic-searching] Observed: the body is not a FHIR JSON resource"), Is.Null);
        Assert.That(expectation.NamedRule("[fhir-search] Observed: the body is not a FHIR JSON resource"), Is.Null);
        Assert.That(expectation.NamedRule("[c4dic-search-coverage-id] Observed: 500 InternalServerError"), Is.Null);
    }

    [TestCase("""{ "filter": "TestCategory=token" }""", "names no scenario that must fail")]
    [TestCase("""{ "mustFail": [ { "scenarios": "fhir" } ] }""", "rules must list the requirement id(s)")]
    [TestCase("""{ "mustFail": [ { "scenarios": "req:a&req:b" } ] }""", "rules must list the requirement id(s)")]
    [TestCase("""{ "mustFail": [ { "scenarios": "@fhir", "rules": ["fhir-read"] } ] }""", "must be tags without '@'")]
    [TestCase("""{ "mustFail": [ { "scenarios": "!fhir", "rules": ["fhir-read"] } ] }""", "at least one of them not excluded")]
    [TestCase("""{ "mustFail": [ { "scenarios": "fhir", "rules": ["[fhir-read]"] } ] }""", "rules must list the requirement id(s)")]
    [TestCase("""{ "mustFail": [ { "scenarios": "req:x", "message": "(" } ] }""", "message is not a valid regular expression")]
    [TestCase("""{ "mustFail": [ { "scenarios": "req:x" } ], "notYetDetected": "no scenario" }""", "has both")]
    [TestCase("""{ "environment": { "DIC_SANDBOX_FAULTS": "x" }, "mustFail": [ { "scenarios": "req:x" } ] }""", "must not set DIC_SANDBOX_FAULTS")]
    [TestCase("""{ "mustFial": [ { "scenarios": "req:x" } ] }""", "unknown field(s) mustFial")]
    [TestCase("""{ "mustFail": [ { "scenarios": "req:x", "rule": ["x"] } ] }""", "unknown field(s) rule")]
    [TestCase("""{ "mustFail": [ { "scenarios": "req:x", "title": "[" } ] }""", "title is not a valid regular expression")]
    public void A_malformed_row_is_rejected_with_the_field_named(string rowJson, string expected)
    {
        var error = Assert.Throws<DetectionTableException>(() => TestTables.Row("some-fault", rowJson));
        Assert.That(error!.Message, Does.StartWith("faults.some-fault").And.Contain(expected));
    }

    [Test]
    public void A_row_may_say_why_no_scenario_detects_its_fault_yet()
    {
        var row = TestTables.Row("code-reusable", """{ "notYetDetected": "the authorization-code scenarios are being written" }""");
        Assert.That(row.NotYetDetected, Is.EqualTo("the authorization-code scenarios are being written"));
        Assert.That(row.MustFail, Is.Empty);
    }
}
