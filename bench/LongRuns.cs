using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace DigitalInsurance.Conformance.Bench;

/// <summary>
/// The runs issue #16 sets wall-time targets for beyond the default suite: the detection suite, the own tests
/// (tests/tests.slnx) and the whole CI script (.ci/run). Each is run as a user runs it; the figures are its wall time,
/// its exit code and what took longest (the slowest tests, or CI's slowest sections), which is what dominates a miss.
/// </summary>
public static class LongRuns
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(120);

    public static Task<JsonObject> MeasureDetectionAsync(BenchOptions options) =>
        MeasureTestRunAsync(options, "detection suite (faults and clean runs)",
            Path.Combine(options.RepositoryRoot, "tests", "DigitalInsurance.Conformance.Detection"), byClass: false);

    public static Task<JsonObject> MeasureOwnTestsAsync(BenchOptions options) =>
        MeasureTestRunAsync(options, "own tests (tests/tests.slnx)", Path.Combine(options.RepositoryRoot, "tests", "tests.slnx"), byClass: true);

    /// <summary>`dotnet test` of <paramref name="target"/> with a trx: wall, exit code and the slowest tests (or test classes).</summary>
    private static async Task<JsonObject> MeasureTestRunAsync(BenchOptions options, string what, string target, bool byClass)
    {
        var results = Directory.CreateTempSubdirectory("dic-bench-tests-").FullName;
        Console.WriteLine($"{what} …");
        var end = await ChildProcess.RunAsync(ChildProcess.Dotnet,
            ["test", target, "--results-directory", results, "--logger", "trx;LogFileName=run.trx"],
            new ChildProcessOptions
            {
                WorkingDirectory = options.RepositoryRoot,
                CleanDotnetEnvironment = true,
                Environment = new Dictionary<string, string?> { ["DIC_FHIR_PACKAGES"] = options.FhirPackages },
                Timeout = Bound,
            });
        var run = new JsonObject
        {
            ["what"] = $"dotnet test {Path.GetRelativePath(options.RepositoryRoot, target)} (build included)",
            ["exitCode"] = end.ExitCode,
            ["endedByItself"] = end.EndedByItself,
            ["wallMinutes"] = Math.Round(end.Duration.TotalMinutes, 2),
        };
        var trx = Directory.GetFiles(results, "*.trx", SearchOption.AllDirectories);
        run["slowest"] = Slowest(trx, byClass);
        Console.WriteLine($"  {run["wallMinutes"]} min (exit {end.ExitCode?.ToString() ?? "none: killed"})");
        Directory.Delete(results, recursive: true);
        return run;
    }

    /// <summary>The ten slowest tests (or test classes, summed) of the trx files.</summary>
    private static JsonArray Slowest(IEnumerable<string> trxFiles, bool byClass)
    {
        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var tests = new List<(string Name, double Seconds)>();
        foreach (var file in trxFiles)
        {
            var document = XDocument.Load(file);
            var classes = document.Descendants(ns + "UnitTest").ToDictionary(
                t => (string)t.Attribute("id")!,
                t => (string?)t.Element(ns + "TestMethod")?.Attribute("className") ?? "?");
            foreach (var result in document.Descendants(ns + "UnitTestResult"))
            {
                if (!TimeSpan.TryParse((string?)result.Attribute("duration"), CultureInfo.InvariantCulture, out var duration)) continue;
                var name = byClass ? classes.GetValueOrDefault((string)result.Attribute("testId")!, "?") : (string)result.Attribute("testName")!;
                tests.Add((name, duration.TotalSeconds));
            }
        }
        return new JsonArray(tests.GroupBy(t => t.Name)
            .Select(g => (Name: g.Key, Seconds: g.Sum(t => t.Seconds)))
            .OrderByDescending(t => t.Seconds).Take(10)
            .Select(t => (JsonNode)new JsonObject { ["name"] = t.Name, ["seconds"] = Math.Round(t.Seconds, 1) })
            .ToArray());
    }

    /// <summary>.ci/run as CI runs it: wall, exit code and the time of each of its sections ("=== name ===" lines).</summary>
    public static async Task<JsonObject> MeasureCiAsync(BenchOptions options)
    {
        Console.WriteLine(".ci/run …");
        var sections = new List<(string Name, TimeSpan StartedAt)>();
        var clock = Stopwatch.StartNew();
        var end = await ChildProcess.RunAsync(Path.Combine(options.RepositoryRoot, ".ci", "run"), [], new ChildProcessOptions
        {
            WorkingDirectory = options.RepositoryRoot,
            CleanDotnetEnvironment = true,
            Environment = new Dictionary<string, string?> { ["DIC_FHIR_PACKAGES"] = options.FhirPackages },
            Timeout = Bound,
            OnOutputLine = line =>
            {
                if (line.StartsWith("=== ", StringComparison.Ordinal) && line.EndsWith(" ===", StringComparison.Ordinal))
                    lock (sections) sections.Add((line[4..^4], clock.Elapsed));
            },
        });
        var total = end.Duration;
        var timed = new JsonArray();
        lock (sections)
            for (var i = 0; i < sections.Count; i++)
            {
                var until = i + 1 < sections.Count ? sections[i + 1].StartedAt : total;
                timed.Add(new JsonObject { ["name"] = sections[i].Name, ["minutes"] = Math.Round((until - sections[i].StartedAt).TotalMinutes, 2) });
            }
        Console.WriteLine($"  {Math.Round(total.TotalMinutes, 1)} min (exit {end.ExitCode?.ToString() ?? "none: killed"})");
        return new JsonObject
        {
            ["what"] = ".ci/run in this clone (not a clean clone: its build outputs and caches may already be there)",
            ["exitCode"] = end.ExitCode,
            ["endedByItself"] = end.EndedByItself,
            ["wallMinutes"] = Math.Round(total.TotalMinutes, 2),
            ["sections"] = new JsonArray(timed.OrderByDescending(s => (double)s!["minutes"]!).Select(s => s!.DeepClone()).ToArray()),
        };
    }
}
