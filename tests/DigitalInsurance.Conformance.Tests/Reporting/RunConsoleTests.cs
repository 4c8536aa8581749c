using DigitalInsurance.Conformance.Support.Redaction;
using DigitalInsurance.Conformance.Support.Reporting.Progress;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Reporting;

/// <summary>The console's line per scenario and its end-of-run summary, rendered from scenario outcomes.</summary>
[NonParallelizable]
public class RunConsoleTests
{
    private static readonly ResultLocations Locations = new(
        "/repo/TestResults", ["/repo/bin/Debug/net10.0/reqnroll_report.html"], "/repo/bin/Debug/net10.0/allure-results", "npm run report");

    private static readonly ScenarioOutcome[] Outcomes =
    [
        new("passed", "The Coverage resources the member can get meet C4DIC-Coverage", null),
        new("failed", "The token response names the granted scope", "[smart-token-scope] The token response must name the granted scope.\nobserved: none"),
        new("failed", "A refreshed token names the granted scope", "[smart-token-scope] The refreshed token response must name the scope"),
        new("failed", "Organization is a payer", "[c4dic-organization-type] The payer organization must have type pay"),
        new("broken", "The FHIR server answers", "HttpRequestException: Connection refused\n   at Somewhere()"),
        new("skipped", "The id_token names the member", "[smart-id-token] not checked: the scope asks for no openid"),
    ];

    [Test]
    public void A_failing_scenario_line_names_its_outcome_title_and_rule()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RunConsole.Line(Outcomes[0]), Is.EqualTo("passed  The Coverage resources the member can get meet C4DIC-Coverage"));
            Assert.That(RunConsole.Line(Outcomes[1]), Is.EqualTo("FAILED  The token response names the granted scope  [smart-token-scope]"));
            Assert.That(RunConsole.Line(Outcomes[4]), Is.EqualTo("BROKEN  The FHIR server answers  (HttpRequestException: Connection refused)"));
            Assert.That(RunConsole.Line(Outcomes[5]), Does.StartWith("skipped The id_token names the member  ([smart-id-token] not checked"));
            Assert.That(RunConsole.Line(new ScenarioOutcome("broken", "The FHIR packages are in place",
                "PreflightFailedException: [harness-preflight] settings and local setup: 1 problem")), Does.EndWith("  [harness-preflight]"));
        });
    }

    [Test]
    public void The_summary_counts_groups_failures_by_requirement_lists_skips_and_says_where_results_are()
    {
        var summary = RunConsole.Summary(Outcomes, Locations);

        Assert.That(summary.Trim().Split('\n'), Is.EqualTo(new[]
        {
            "Conformance run: 6 scenario(s): 1 passed, 3 failed, 1 broken, 1 skipped",
            "Failures by requirement:",
            "  [c4dic-organization-type]: 1",
            "    Organization is a payer: The payer organization must have type pay",
            "  [smart-token-scope]: 2",
            "    The token response names the granted scope: The token response must name the granted scope.",
            "    A refreshed token names the granted scope: The refreshed token response must name the scope",
            "  (harness error, no rule): 1",
            "    The FHIR server answers: HttpRequestException: Connection refused",
            "Skipped:",
            "  The id_token names the member: [smart-id-token] not checked: the scope asks for no openid",
            "Results:",
            "  TRX: /repo/TestResults",
            "  Reqnroll: /repo/bin/Debug/net10.0/reqnroll_report.html",
            "  Allure results: /repo/bin/Debug/net10.0/allure-results",
            "Build the Allure report: npm run report",
        }));
    }

    [Test]
    public void Lines_and_summary_are_redacted()
    {
        var lines = new List<string>();
        var previous = RunConsole.RedirectTo(lines.Add);
        Secrets.Register("s3cr3t-client-value", "client secret");
        try
        {
            RunConsole.ScenarioFinished(new ScenarioOutcome("failed", "Token exchange", "[smart-token-request] the server echoed s3cr3t-client-value"));
            RunConsole.WriteSummary(Locations);
        }
        finally
        {
            RunConsole.RedirectTo(previous);
        }

        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Count.EqualTo(2));
            Assert.That(string.Join("\n", lines), Does.Not.Contain("s3cr3t-client-value"));
            Assert.That(lines[1], Does.Contain("[smart-token-request]: 1"));
        });
    }
}
