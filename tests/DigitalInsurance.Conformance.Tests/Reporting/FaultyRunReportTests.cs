using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DigitalInsurance.Conformance.Tests.Browser;
using DigitalInsurance.Conformance.Tests.Runner;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Reporting;

/// <summary>
/// The whole suite as a user runs it (`dotnet test` against the embedded sandbox), with two faults on so that the
/// failure paths (validator tables, response bodies, token responses, traces) write their evidence too; then what QA
/// reads afterwards is checked: one Allure result per scenario with its steps, labels, parameters and evidence, and
/// no secret of the run anywhere. The sandbox records every credential it hands out (Sandbox:IssuedCredentialsLog);
/// every output of the run is searched for those real values: allure-results with all attachments, the Reqnroll html
/// and message reports with their embedded attachments, the TRX with its result files, the console output. Reports get
/// published, so the expected number of hits is zero.
/// </summary>
[TestFixture, NonParallelizable, Category("EndToEnd")]
public sealed class FaultyRunReportTests
{
    private static readonly string[] Faults = ["coverage-missing-beneficiary", "token-cache-headers-missing"];

    private readonly string _work = Path.Combine(Path.GetTempPath(), $"dic-faulty-run-{Guid.NewGuid():N}");
    private string Issued => Path.Combine(_work, "issued-credentials.tsv");
    private string AllureResults => Path.Combine(_work, "allure-results");
    private string Html => Path.Combine(_work, "reqnroll_report.html");
    private string Messages => Path.Combine(_work, "reqnroll_report.ndjson");
    private string TrxFolder => Path.Combine(_work, "trx");
    private string Trx => Path.Combine(TrxFolder, "run.trx");
    private string _console = "";
    private TestRunResults _trx = null!;
    private List<JsonObject> _results = [];

    [OneTimeSetUp]
    public async Task RunTheSuiteWithFaultsAsync()
    {
        Directory.CreateDirectory(_work);
        var environment = new Dictionary<string, string>
        {
            ["Sandbox__IssuedCredentialsLog"] = Issued,
            ["DIC_SANDBOX_FAULTS"] = string.Join(",", Faults),
            ["DIC_ALLURE_RESULTS_PATH"] = AllureResults,
            ["REQNROLL_FORMATTERS_HTML"] = $"outputFilePath={Html}",
            ["REQNROLL_FORMATTERS_MESSAGE"] = $"outputFilePath={Messages}",
        };

        var (exitCode, console) = await ConformanceSuiteProcess.TestAsync(environment, TimeSpan.FromMinutes(12),
            "--settings", Path.Combine(RepositoryFiles.Root, "runsettings", "sandbox.runsettings"),
            "--logger", $"trx;LogFileName={Trx}", "--results-directory", TrxFolder, "--logger", "console;verbosity=detailed");
        _console = console;

        if (!File.Exists(Trx)) Assert.Fail($"The run wrote no TRX (exit code {exitCode}).");
        _trx = TestRunResults.FromTrx(XDocument.Load(Trx));
        if (!Directory.Exists(AllureResults)) Assert.Fail("The run wrote no allure-results.");
        _results = Directory.GetFiles(AllureResults, "*-result.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList();
    }

    [OneTimeTearDown]
    public void RemoveTheRun()
    {
        try { Directory.Delete(_work, recursive: true); }
        catch (IOException) { }
    }

    [Test]
    public void Every_scenario_is_one_allure_result_with_its_steps_labels_and_parameters()
    {
        Assert.That(_trx.All.Count(r => r.Outcome == "Passed"), Is.GreaterThan(10), "most of the suite ran");
        Assert.That(_results, Has.Count.EqualTo(_trx.All.Count), "one result per scenario (and outline row) of the TRX");
        Assert.Multiple(() =>
        {
            foreach (var result in _results)
            {
                var name = result.Str("name");
                Assert.That(result.Objects("steps"), Is.Not.Empty, $"{name}: steps");
                Assert.That(result.Objects("steps").Select(s => s.Str("status")), Has.All.AnyOf("passed", "failed", "broken", "skipped"), $"{name}: step statuses");
                var labels = result.Objects("labels").Select(l => l.Str("name")).ToHashSet();
                Assert.That(labels, Is.SupersetOf(new[] { "epic", "feature", "story", "parentSuite", "suite", "tag", "severity", "host", "thread", "framework", "language", "target" }), $"{name}: labels");
                Assert.That(result.Objects("parameters").Select(p => p.Str("name")), Does.Contain("target"), $"{name}: parameters");
                Assert.That(result.Str("testCaseId"), Is.Not.Empty, $"{name}: testCaseId");
                // A step that talked to the payer carries the exchange: "GET /r4/… → 200".
                // (A scenario the fault left with nothing to search for is skipped, and sent no request.)
                if (result.Str("status") == "skipped") continue;
                foreach (var step in result.Objects("steps").Where(s => s.Str("name").StartsWith("When the app searches", StringComparison.Ordinal) && s.Str("status") is "passed" or "failed"))
                    Assert.That(step.Objects("attachments").Select(a => a.Str("name")), Has.Some.Match(@"^(GET|POST) \S+ → \d{3}"), $"{name}: '{step.Str("name")}' attaches its HTTP exchange");
            }
        });
    }

    [Test]
    public void The_failing_Coverage_scenario_shows_the_validator_issue_table_and_the_response_body()
    {
        var result = _results.Single(r => r.Str("name") == "The member's Coverage found by search meets C4DIC Coverage");
        Assert.That(result.Str("status"), Is.EqualTo("failed"));
        Assert.That(result["statusDetails"].Str("message"), Does.StartWith("[c4dic-coverage-profile]").And.Contain("beneficiary"));

        var steps = result.Objects("steps");
        var search = steps.Single(s => s.Str("name").StartsWith("When the app searches", StringComparison.Ordinal));
        var exchange = search.Objects("attachments").Single(a => a.Str("name").StartsWith("GET /r4/Coverage", StringComparison.Ordinal));
        Assert.That(File.ReadAllText(Path.Combine(AllureResults, exchange.Str("source"))), Does.Contain("\"resourceType\": \"Bundle\"").And.Contain("coverage-jason-medical"),
            "the response body is in the exchange");

        var failing = steps.Single(s => s.Str("status") == "failed");
        var table = failing.Objects("attachments").Where(a => a.Str("type") == "text/html")
            .Select(a => File.ReadAllText(Path.Combine(AllureResults, a.Str("source")))).ToList();
        Assert.That(table.Any(t => t.Contains("<table") && t.Contains("beneficiary") && t.Contains("C4DIC-Coverage")), Is.True,
            $"the validator's issues as a table, among {table.Count} HTML attachments of the failing step");
    }

    [Test]
    public void The_TRX_and_the_Reqnroll_reports_carry_each_scenario_s_evidence()
    {
        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var failing = XDocument.Load(Trx).Descendants(ns + "UnitTestResult")
            .Single(r => (string?)r.Attribute("testName") == "The_member_s_Coverage_found_by_search_meets_C4DIC_Coverage");
        Assert.That((string?)failing.Attribute("outcome"), Is.EqualTo("Failed"));
        var files = failing.Descendants(ns + "ResultFile").Select(f => (string)f.Attribute("path")!).ToList();
        Assert.That(files, Has.Some.Match(@"GET_r4_Coverage.*\.txt$"), "the TRX result carries the HTTP exchange");
        var copied = Directory.EnumerateFiles(TrxFolder, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToHashSet();
        Assert.That(files.Select(Path.GetFileName), Is.SubsetOf(copied), "the TRX's result files are next to it");

        var attachments = EmbeddedAttachments("reqnroll_report.ndjson", File.ReadAllText(Messages)).Select(a => a.Text).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(attachments, Has.Some.Contain("GET ").And.Contain("/r4/Coverage").And.Contain("coverage-jason-medical"),
                "Reqnroll's messages embed the HTTP exchanges");
            Assert.That(attachments, Has.Some.Contain("<table").And.Contain("beneficiary").And.Contain("C4DIC-Coverage"),
                "Reqnroll's messages embed the validator's issue table");
            Assert.That(File.ReadAllText(Html), Does.Contain("\"contentEncoding\":\"BASE64\""), "the HTML report embeds the attachments too");
        });
    }

    [Test]
    public void No_secret_of_a_run_appears_in_its_reports_results_or_console_output()
    {
        Assert.That(_trx.All.Count(r => r.Outcome == "Failed"), Is.GreaterThan(0), "the faults made scenarios fail, so failure evidence was written");

        var secrets = ReadIssuedCredentials(Issued);
        Assert.That(secrets.Select(s => s.Kind).Distinct(), Is.SupersetOf(new[]
        {
            "client secret", "authorization code", "access token", "id token", "verification code", "member email",
        }), "the run used every kind of secret");

        var outputs = new List<(string Name, string Text)> { ("console output", _console) };
        foreach (var file in Directory.EnumerateFiles(TrxFolder, "*", SearchOption.AllDirectories)) outputs.AddRange(Texts(file));
        outputs.AddRange(Texts(Html));
        outputs.AddRange(Texts(Messages));
        foreach (var file in Directory.EnumerateFiles(AllureResults, "*", SearchOption.AllDirectories)) outputs.AddRange(Texts(file));
        Assert.That(outputs.Count, Is.GreaterThan(50), "the outputs searched include every attachment");

        // The message names the kind and the file only: the value itself must not reach this test's own report.
        var hits = (from secret in secrets
                    from output in outputs
                    where secret.Occurs(output.Text)
                    select $"{secret.Kind} in {output.Name}").Distinct().ToList();
        Assert.That(hits, Is.Empty, $"{hits.Count} leaks among {secrets.Count} secrets and {outputs.Count} outputs");
    }
    private static List<IssuedSecret> ReadIssuedCredentials(string path)
    {
        Assert.That(File.Exists(path), "the sandbox recorded the credentials it issued (Sandbox__IssuedCredentialsLog)");
        return File.ReadAllLines(path)
            .Select(line => line.Split('\t', 2))
            .Where(parts => parts.Length == 2 && parts[1].Length > 0)
            .Select(parts => new IssuedSecret(parts[0], parts[1]))
            .Distinct()
            .ToList();
    }

    /// <summary>A file's text; a zip (the Playwright trace) entry by entry; images as the bytes they are.</summary>
    private static IEnumerable<(string Name, string Text)> Texts(string path)
    {
        if (!File.Exists(path)) yield break;
        var name = Path.GetFileName(path);
        if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            using var zip = ZipFile.OpenRead(path);
            foreach (var entry in zip.Entries)
            {
                using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                yield return ($"{name}!{entry.FullName}", reader.ReadToEnd());
            }
            yield break;
        }
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(path));
        yield return (name, text);
        foreach (var attachment in EmbeddedAttachments(name, text)) yield return attachment;
    }

    /// <summary>Reqnroll's reports embed attachments base64-encoded: decoded, so they are searched like any other output.</summary>
    private static IEnumerable<(string Name, string Text)> EmbeddedAttachments(string name, string text)
    {
        var index = 0;
        foreach (Match match in Regex.Matches(text, "\"body\":\"([A-Za-z0-9+/=]*)\",\"contentEncoding\":\"BASE64\""))
            yield return ($"{name}!attachment {++index}", Encoding.UTF8.GetString(Convert.FromBase64String(match.Groups[1].Value)));
    }

    private sealed record IssuedSecret(string Kind, string Value)
    {
        // A 6-digit verification code is only a leak where it stands alone: timestamps are full of 6-digit runs.
        private Regex Pattern => new($"(?<![0-9]){Regex.Escape(Value)}(?![0-9])");

        public bool Occurs(string text) =>
            Kind == "verification code"
                ? Pattern.IsMatch(text)
                : text.Contains(Value, StringComparison.Ordinal) || text.Contains(Uri.EscapeDataString(Value), StringComparison.Ordinal);
    }
}
