using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DigitalInsurance.Conformance.Tests.Browser;
using DigitalInsurance.Conformance.Tests.Runner;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Redaction;

/// <summary>
/// The whole suite as a user runs it (`dotnet test` against the embedded sandbox), with two faults on so that the
/// failure paths (validator tables, response bodies, token responses, traces) write their evidence too. The sandbox
/// records every credential it hands out (Sandbox:IssuedCredentialsLog); afterwards every output of the run is searched
/// for those real values: allure-results with all attachments, the Reqnroll html and message reports, the TRX, the
/// console output. Reports get published, so the expected number of hits is zero.
/// </summary>
[TestFixture, NonParallelizable, Category("EndToEnd")]
public sealed class SecretLeakRunTests
{
    private static readonly string[] Faults = ["coverage-missing-beneficiary", "token-cache-headers-missing"];

    private readonly string _work = Path.Combine(Path.GetTempPath(), $"dic-leak-run-{Guid.NewGuid():N}");

    [OneTimeTearDown]
    public void RemoveTheRun()
    {
        try { Directory.Delete(_work, recursive: true); }
        catch (IOException) { }
    }

    [Test]
    public async Task No_secret_of_a_run_appears_in_its_reports_results_or_console_output()
    {
        Directory.CreateDirectory(_work);
        var issued = Path.Combine(_work, "issued-credentials.tsv");
        var allureResults = Path.Combine(_work, "allure-results");
        var html = Path.Combine(_work, "reqnroll_report.html");
        var messages = Path.Combine(_work, "reqnroll_report.ndjson");
        var trx = Path.Combine(_work, "run.trx");
        var environment = new Dictionary<string, string>
        {
            ["Sandbox__IssuedCredentialsLog"] = issued,
            ["DIC_SANDBOX_FAULTS"] = string.Join(",", Faults),
            ["DIC_ALLURE_RESULTS_PATH"] = allureResults,
            ["REQNROLL_FORMATTERS_HTML"] = $"outputFilePath={html}",
            ["REQNROLL_FORMATTERS_MESSAGE"] = $"outputFilePath={messages}",
        };

        var (exitCode, console) = await ConformanceSuiteProcess.TestAsync(environment, TimeSpan.FromMinutes(12),
            "--settings", Path.Combine(RepositoryFiles.Root, "runsettings", "sandbox.runsettings"),
            "--logger", $"trx;LogFileName={trx}", "--logger", "console;verbosity=detailed");

        Assert.That(File.Exists(trx), $"The run wrote no TRX (exit code {exitCode}).");
        var results = TestRunResults.FromTrx(XDocument.Load(trx));
        Assert.That(results.All.Count(r => r.Outcome == "Passed"), Is.GreaterThan(10), "most of the suite ran");
        Assert.That(results.All.Count(r => r.Outcome == "Failed"), Is.GreaterThan(0), "the faults made scenarios fail, so failure evidence was written");

        var secrets = ReadIssuedCredentials(issued);
        Assert.That(secrets.Select(s => s.Kind).Distinct(), Is.SupersetOf(new[]
        {
            "client secret", "authorization code", "access token", "id token", "verification code", "member email",
        }), "the run used every kind of secret");

        var outputs = new List<(string Name, string Text)> { ("console output", console) };
        outputs.AddRange(Texts(trx));
        outputs.AddRange(Texts(html));
        outputs.AddRange(Texts(messages));
        Assert.That(Directory.Exists(allureResults), "allure-results were written");
        foreach (var file in Directory.EnumerateFiles(allureResults, "*", SearchOption.AllDirectories)) outputs.AddRange(Texts(file));
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
        yield return (name, Encoding.UTF8.GetString(File.ReadAllBytes(path)));
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
