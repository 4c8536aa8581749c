using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DigitalInsurance.Conformance.Bench;

/// <summary>Runs the parts, keeps what an earlier run measured for parts not run now, and writes results.json and results.md.</summary>
public static class BenchRun
{
    public static Task<int> RunAllAsync(BenchOptions options) => RunPartAsync(options, ["cold-start", "throughput", "suite"]);

    public static async Task<int> RunPartAsync(BenchOptions options, IReadOnlyList<string> parts)
    {
        var resultsPath = Path.Combine(options.OutputFolder, "results.json");
        var results = File.Exists(resultsPath) ? JsonNode.Parse(File.ReadAllText(resultsPath))!.AsObject() : new JsonObject();
        results["machine"] = Machine();
        results["loadAverageAtStart"] = SuiteRuns.LoadAverage();
        results["mode"] = options.Short ? "short" : "full";

        if (parts.Contains("cold-start")) results["coldStart"] = await ColdStart.MeasureAsync(options);
        if (parts.Contains("throughput")) results["throughput"] = Throughput.Measure(options);
        if (parts.Contains("suite")) results["suite"] = await SuiteRuns.MeasureAsync(options);

        results["loadAverageAtEnd"] = SuiteRuns.LoadAverage();
        results["measuredAt"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture);
        results["targets"] = Targets(results, options);

        Directory.CreateDirectory(options.OutputFolder);
        await File.WriteAllTextAsync(resultsPath, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        await File.WriteAllTextAsync(Path.Combine(options.OutputFolder, "results.md"), Markdown(results));
        Console.WriteLine($"Wrote {resultsPath} and results.md");
        return 0;
    }

    private static JsonObject Machine()
    {
        string? cpu = null;
        try { cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim(); }
        catch (IOException) { }
        return new JsonObject
        {
            ["cores"] = Environment.ProcessorCount,
            ["cpu"] = cpu,
            ["memoryGb"] = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9, 1),
            ["os"] = RuntimeInformation.OSDescription,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
        };
    }

    /// <summary>Each target of issue #7 with the figure that decides it.</summary>
    private static JsonArray Targets(JsonObject results, BenchOptions options)
    {
        double? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var number) && !double.IsNaN(number) ? number : null;
        JsonObject Target(string name, string limit, double? value, string unit, Func<double, bool> met) => new()
        {
            ["target"] = name,
            ["limit"] = limit,
            ["value"] = value is null ? null : Math.Round(value.Value, 2),
            ["unit"] = unit,
            ["met"] = value is null ? null : met(value.Value),
        };

        var cold = results["coldStart"];
        var throughput = results["throughput"]?["cases"]?.AsArray().Select(c => c!.AsObject()).ToList() ?? [];
        double? Rate(string type) => throughput.Where(c => (string)c["resourceType"]! == type).Select(c => Number(c["validationsPerSecond"])).Min();
        var suite = results["suite"]?["runs"]?.AsArray().Select(r => r!.AsObject()).ToList() ?? [];
        var defaultRun = suite.FirstOrDefault(r => (int)r["members"]! == 1 && (int)r["parallelism"]! == 1);
        var parallelRun = suite.FirstOrDefault(r => (int)r["members"]! == 1 && (int)r["parallelism"]! == options.Parallelism);
        var perMember = results["suite"]?["secondsPerExtraMember"]?.AsObject().Select(p => Number(p.Value)).Where(v => v is not null).Max();

        return
        [
            Target("validator first verdict, warm cache (new process)", "≤ 1.5 s", Number(cold?["warmCache"]?["medianFirstVerdictMs"]) / 1000, "s", v => v <= 1.5),
            Target("validator warm-up done, warm cache (new process)", "≤ 1.5 s", Number(cold?["warmCache"]?["medianReadyMs"]) / 1000, "s", v => v <= 1.5),
            Target("validator first verdict, no cache (new process)", "≤ 8 s", Number(cold?["withoutCache"]?["firstVerdictMs"]) / 1000, "s", v => v <= 8),
            Target("warm validations/s, Patient (slowest source)", "≥ 2000", Rate("Patient"), "/s", v => v >= 2000),
            Target("warm validations/s, Organization (slowest source)", "≥ 2000", Rate("Organization"), "/s", v => v >= 2000),
            Target("default suite wall (dotnet test, parallelism 1)", "≤ 20 s", Number(defaultRun?["processWallSeconds"]), "s", v => v <= 20),
            Target($"default suite wall (dotnet test, parallelism {options.Parallelism})", "≤ 20 s", Number(parallelRun?["processWallSeconds"]), "s", v => v <= 20),
            Target("harness overhead share of the run (parallelism 1)", "≤ 10 %", Number(defaultRun?["run"]?["harnessShare"]) * 100, "%", v => v <= 10),
            Target("seconds per extra member, in parallel", "≤ 1.5 s", perMember, "s", v => v <= 1.5),
        ];
    }

    private static string Markdown(JsonObject results)
    {
        var md = new StringBuilder();
        var machine = results["machine"]!;
        md.AppendLine("# Benchmark results").AppendLine();
        md.AppendLine($"Measured {results["measuredAt"]} ({results["mode"]} mode) on {machine["cores"]} cores ({machine["cpu"]}), {machine["memoryGb"]} GB, {machine["os"]}, {machine["dotnet"]}.");
        md.AppendLine($"Load average at start {Load(results["loadAverageAtStart"])}, at end {Load(results["loadAverageAtEnd"])} (1, 5, 15 min): above {machine["cores"]} the figures are inflated by other work on the machine.").AppendLine();

        md.AppendLine("## Targets").AppendLine().AppendLine("| Target | Limit | Measured | Met |").AppendLine("| --- | --- | ---: | --- |");
        foreach (var target in results["targets"]!.AsArray())
            md.AppendLine($"| {target!["target"]} | {target["limit"]} | {target["value"]?.ToString() ?? "–"} {target["unit"]} | {Met(target["met"])} |");

        if (results["coldStart"] is { } cold)
        {
            md.AppendLine().AppendLine("## Validator cold start (ms from the process's start)").AppendLine();
            md.AppendLine("| Case | Created | First verdict | Warm-up done | CPU at first verdict | CPU at end |").AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            var none = cold["withoutCache"]!;
            md.AppendLine($"| harness, no cache (first run) | {none["createdMs"]} | {none["firstVerdictMs"]} | {none["readyMs"]} | {none["cpuMsAt"]?["firstVerdict"]} | {none["cpuMs"]} |");
            foreach (var (label, key) in new[] { ("harness, warm cache (median)", "warmCache"), ("Firely DirectorySource + ZipSource (median; before the cache)", "firelySourcesWarm") })
            {
                var c = cold[key]!;
                md.AppendLine($"| {label} | {c["medianCreatedMs"]} | {c["medianFirstVerdictMs"]} | {c["medianReadyMs"]} | {c["medianCpuAtFirstVerdictMs"]} | {c["medianCpuMs"]} |");
            }
        }

        if (results["throughput"] is { } throughput)
        {
            md.AppendLine().AppendLine("## Warm validation throughput (one thread)").AppendLine();
            md.AppendLine("| Source | Type | Resources | µs / validation | Validations / s | Verdicts |").AppendLine("| --- | --- | ---: | ---: | ---: | --- |");
            foreach (var c in throughput["cases"]!.AsArray())
                md.AppendLine($"| {c!["source"]} | {c["resourceType"]} | {c["resources"]} | {c["microsecondsPerValidation"]} | {c["validationsPerSecond"]} | {c["verdicts"]} |");
        }

        if (results["suite"] is { } suite)
        {
            md.AppendLine().AppendLine("## Conformance suite against the sandbox").AppendLine();
            md.AppendLine("| Members | Parallelism | Scenarios (passed/failed) | dotnet test wall s | Run wall s | Browser | Mail | OAuth | HTTP | Server start | Code expiry wait | Validation | Validator wait | Waiting (union) | Harness | Harness share | Validator ready at |");
            md.AppendLine("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in suite["runs"]!.AsArray())
            {
                var run = r!["run"];
                string Phase(string name) => run?["phases"]?[name] is { } p ? $"{p["wallSeconds"]} ({p["sumSeconds"]})" : "–";
                md.AppendLine($"| {r["members"]} | {r["parallelism"]} | {r["scenarios"]} ({r["passed"]}/{r["failed"]}) | {r["processWallSeconds"]} | {run?["wallSeconds"]} | "
                              + $"{Phase("browser")} | {Phase("mail")} | {Phase("oauth")} | {Phase("http")} | {Phase("server-start")} | {Phase("code-expiry-wait")} | {Phase("validation")} | {Phase("validator-wait")} | "
                              + $"{run?["waitingSeconds"]} | {run?["harnessSeconds"]} | {Percent(run?["harnessShare"])} | {run?["milestones"]?["validatorReady"]?.ToString() ?? "–"} |");
            }
            md.AppendLine().AppendLine("Phase cells: wall seconds covered (summed seconds across parallel scenarios). Harness = run wall − waiting (browser, mail, OAuth, HTTP, server start, the code lifetime the expiry scenario waits out).");
            md.AppendLine($"Seconds per extra member (parallel): {suite["secondsPerExtraMember"]?.ToJsonString()}.");
        }
        return md.ToString();
    }

    private static string Load(JsonNode? node) => node is JsonArray a ? string.Join(", ", a.Select(v => v!.ToString())) : "?";
    private static string Met(JsonNode? node) => node is null ? "–" : (bool)node ? "yes" : "**no**";
    private static string Percent(JsonNode? node) => node is null ? "–" : $"{Math.Round((double)node * 100, 1)} %";
}
