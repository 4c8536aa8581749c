using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace DigitalInsurance.Conformance.Bench;

/// <summary>
/// The conformance suite against the embedded sandbox, as a user runs it (`dotnet test` on the harness project, built
/// in Release by run.sh), for 1, 5 and 20 members: the process's wall time, the run's phase timings (timings.json,
/// written by the harness) and the test results (trx).
/// </summary>
public static class SuiteRuns
{
    public static async Task<JsonObject> MeasureAsync(BenchOptions options)
    {
        var runs = new JsonArray();
        // The default suite as users run it (parallelism 1), then each member count at the bench's parallelism.
        var plan = options.SkipDefaultRun ? [] : new List<(int Members, int Parallelism)> { (1, 1) };
        foreach (var members in options.MemberCounts)
            if (!plan.Contains((members, options.Parallelism))) plan.Add((members, options.Parallelism));

        foreach (var (members, parallelism) in plan)
            runs.Add(await RunAsync(options, members, parallelism));

        var perMember = new JsonObject();
        double Wall(int members) => runs.Select(r => r!.AsObject())
            .Where(r => (int)r["members"]! == members && (int)r["parallelism"]! == options.Parallelism)
            .Select(r => (double)r["processWallSeconds"]!).DefaultIfEmpty(double.NaN).First();
        foreach (var members in options.MemberCounts.Where(m => m > 1))
        {
            var extra = (Wall(members) - Wall(1)) / (members - 1);
            if (double.IsFinite(extra)) perMember[$"1to{members}"] = Math.Round(extra, 2);
        }

        return new JsonObject
        {
            ["what"] = "dotnet test DigitalInsurance.Conformance.csproj -c Release --no-build against the embedded sandbox (runsettings/sandbox.runsettings), "
                       + "with DIC_PARALLELISM and, for more than one member, DIC_MEMBERS_FILE and DIC_SANDBOX_DATA_FOLDER from a generated data set. "
                       + "processWallSeconds: the dotnet test process; run: the harness's own timings from its first hook to its last (timings.json).",
            ["runs"] = runs,
            ["secondsPerExtraMember"] = perMember,
        };
    }

    private static async Task<JsonObject> RunAsync(BenchOptions options, int members, int parallelism)
    {
        var work = Directory.CreateTempSubdirectory($"dic-bench-suite-{members}-").FullName;
        var environment = new Dictionary<string, string?>
        {
            ["DIC_FHIR_PACKAGES"] = options.FhirPackages,
            ["DIC_PARALLELISM"] = parallelism.ToString(CultureInfo.InvariantCulture),
            ["DIC_MEMBERS_FILE"] = null,
            ["DIC_SANDBOX_DATA_FOLDER"] = null,
        };
        string? generated = null;
        if (members > 1)
        {
            var (data, membersFile, _) = MemberData.Generate(options.RepositoryRoot, members, work);
            generated = MemberData.CheckGenerated(options, data);
            environment["DIC_MEMBERS_FILE"] = membersFile;
            environment["DIC_SANDBOX_DATA_FOLDER"] = data;
        }

        var outputFolder = Path.Combine(options.RepositoryRoot, "bin", "Release", "net10.0");
        var timingsFile = Path.Combine(outputFolder, "timings.json");
        File.Delete(timingsFile);
        var results = Path.Combine(work, "results");
        Console.WriteLine($"Suite: {members} member(s), parallelism {parallelism} …");
        var load = LoadAverage();
        var result = await ChildProcess.RunAsync(ChildProcess.Dotnet,
            ["test", Path.Combine(options.RepositoryRoot, "DigitalInsurance.Conformance.csproj"), "-c", "Release", "--no-build",
                "--results-directory", results, "--logger", "trx;LogFileName=suite.trx"],
            new ChildProcessOptions { Environment = environment, Timeout = TimeSpan.FromMinutes(30), WorkingDirectory = options.RepositoryRoot });
        var exitCode = result.RequireEnded("dotnet test (the suite)");

        var run = new JsonObject
        {
            ["members"] = members,
            ["parallelism"] = parallelism,
            ["generatedData"] = generated,
            ["exitCode"] = exitCode,
            ["processWallSeconds"] = Math.Round(result.Duration.TotalSeconds, 1),
            ["loadAverageBefore"] = load,
            ["loadAverageAfter"] = LoadAverage(),
        };
        var trx = Directory.Exists(results) ? Directory.GetFiles(results, "*.trx", SearchOption.AllDirectories).FirstOrDefault() : null;
        if (trx is not null) AddTestResults(run, trx);
        if (File.Exists(timingsFile)) run["run"] = JsonNode.Parse(File.ReadAllText(timingsFile));
        else run["problem"] = $"no timings.json: {Tail(result.StandardOutput + result.StandardError)}";
        Console.WriteLine($"  {run["processWallSeconds"]} s, {run["passed"]} passed, {run["failed"]} failed (exit {exitCode})");
        Directory.Delete(work, recursive: true);
        return run;
    }

    /// <summary>Counts, the slowest scenarios, and the scenarios that failed (by name: the harness reports them redacted).</summary>
    private static void AddTestResults(JsonObject run, string trx)
    {
        var document = XDocument.Load(trx);
        XNamespace ns = document.Root!.Name.Namespace;
        var tests = document.Descendants(ns + "UnitTestResult")
            .Select(r => (Name: (string)r.Attribute("testName")!, Outcome: (string?)r.Attribute("outcome") ?? "", Seconds: TimeSpan.Parse((string?)r.Attribute("duration") ?? "0", CultureInfo.InvariantCulture).TotalSeconds))
            .ToList();
        run["scenarios"] = tests.Count;
        run["passed"] = tests.Count(t => t.Outcome == "Passed");
        run["failed"] = tests.Count(t => t.Outcome == "Failed");
        run["otherOutcomes"] = tests.Count(t => t.Outcome is not ("Passed" or "Failed"));
        run["scenarioSecondsSum"] = Math.Round(tests.Sum(t => t.Seconds), 1);
        run["slowestScenarios"] = new JsonArray(tests.OrderByDescending(t => t.Seconds).Take(8)
            .Select(t => (JsonNode)new JsonObject { ["name"] = t.Name, ["seconds"] = Math.Round(t.Seconds, 1) }).ToArray());
        run["failedScenarios"] = new JsonArray(tests.Where(t => t.Outcome == "Failed").Select(t => (JsonNode)JsonValue.Create(t.Name)!).ToArray());
    }

    public static JsonArray LoadAverage()
    {
        try
        {
            return new JsonArray(File.ReadAllText("/proc/loadavg").Split(' ').Take(3)
                .Select(v => (JsonNode)JsonValue.Create(double.Parse(v, CultureInfo.InvariantCulture))).ToArray());
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static string Tail(string text) => text.Length <= 600 ? text : text[^600..];
}
