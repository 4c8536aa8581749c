using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DigitalInsurance.Conformance.Bench;

/// <summary>Runs the parts, keeps what an earlier run measured for parts not run now, and writes results.json and results.md.</summary>
public static class BenchRun
{
    public static readonly IReadOnlyList<string> Parts = ["cold-start", "throughput", "suite", "detection", "own-tests", "ci"];

    public static Task<int> RunAllAsync(BenchOptions options) => RunPartAsync(options, Parts);

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
        if (parts.Contains("detection")) results["detection"] = await LongRuns.MeasureDetectionAsync(options);
        if (parts.Contains("own-tests")) results["ownTests"] = await LongRuns.MeasureOwnTestsAsync(options);
        if (parts.Contains("ci")) results["ci"] = await LongRuns.MeasureCiAsync(options);

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

    /// <summary>Each target of issue #16 with the figure that decides it and, where it is missed, what dominates.</summary>
    private static JsonArray Targets(JsonObject results, BenchOptions options)
    {
        double? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var number) && !double.IsNaN(number) ? number : null;
        JsonObject Target(string name, string limit, double? value, string unit, Func<double, bool> met, Func<string?> dominates)
        {
            bool? isMet = value is null ? null : met(value.Value);
            return new JsonObject
            {
                ["target"] = name,
                ["limit"] = limit,
                ["value"] = value is null ? null : Math.Round(value.Value, 2),
                ["unit"] = unit,
                ["met"] = isMet,
                ["dominatedBy"] = isMet == false ? dominates() : null,
            };
        }
        // The three largest phases of a suite run (wall seconds covered), the slowest scenarios after them.
        string? Phases(JsonObject? run) => run is null ? null : string.Join("; ", (run["run"]?["phases"]?.AsObject() ?? [])
            .Select(p => (Name: p.Key, Wall: Number(p.Value?["wallSeconds"]) ?? 0)).OrderByDescending(p => p.Wall).Take(3)
            .Select(p => $"{p.Name} {p.Wall:0.#} s").Concat((run["slowestScenarios"]?.AsArray() ?? []).Take(3)
                .Select(s => $"{s!["name"]} {s["seconds"]} s")));
        string? Slowest(JsonNode? part, string list, string unit) => part?[list] is JsonArray items
            ? string.Join("; ", items.Take(3).Select(i => $"{i!["name"]} {i[unit]} {(unit == "minutes" ? "min" : "s")}"))
            : null;

        var suite = results["suite"]?["runs"]?.AsArray().Select(r => r!.AsObject()).ToList() ?? [];
        var defaultRun = suite.FirstOrDefault(r => (int)r["members"]! == 1 && (int)r["parallelism"]! == 1);
        // Where the detection suite or the own tests were not run as parts of their own, the .ci/run part's section of the
        // same name measured them (the same command, run by CI): its minutes stand in, and the title says so.
        double? CiSection(string startsWith) => results["ci"]?["sections"] is JsonArray ciSections
            ? ciSections.Where(x => ((string?)x?["name"])?.StartsWith(startsWith, StringComparison.Ordinal) == true)
                .Select(x => Number(x?["minutes"])).FirstOrDefault()
            : null;
        var detectionFromCi = Number(results["detection"]?["wallMinutes"]) is null && CiSection("Detection matrix") is not null;
        var ownTestsFromCi = Number(results["ownTests"]?["wallMinutes"]) is null && CiSection("The project's own tests") is not null;
        var detectionTitle = "detection suite, faults and variations (dotnet test, build included)" + (detectionFromCi ? "; as .ci/run's section" : "");
        var ownTestsTitle = "own tests (dotnet test tests/tests.slnx, build included)" + (ownTestsFromCi ? "; as .ci/run's section" : "");
        var largestRun = suite.Where(r => (int)r["parallelism"]! == options.Parallelism).MaxBy(r => (int)r["members"]!);
        var perMember = results["suite"]?["secondsPerExtraMember"]?.AsObject().Select(p => Number(p.Value)).Where(v => v is not null).Max();
        // Memoized verdicts: in the run with the most members, each distinct resource content was validated once.
        var counters = largestRun?["run"]?["counters"];
        var computed = Number(counters?["validationsRun"]);
        var distinct = Number(counters?["verdictsMemoized"]);
        var asked = Number(largestRun?["run"]?["phases"]?["validation"]?["count"]);

        return
        [
            Target("default suite wall (dotnet test after the build, default settings: parallelism 1)", "≤ 20 s",
                Number(defaultRun?["processWallSeconds"]), "s", v => v <= 20, () => Phases(defaultRun)),
            Target($"each extra member at parallelism {options.Parallelism}", "≤ 1.0 s", perMember, "s", v => v <= 1.0, () => Phases(largestRun)),
            Target(detectionTitle, "≤ 12 min",
                Number(results["detection"]?["wallMinutes"]) ?? CiSection("Detection matrix"), "min", v => v <= 12,
                () => Slowest(results["detection"], "slowest", "seconds") ?? "see the .ci/run part: measured as its detection section"),
            Target(ownTestsTitle, "≤ 5 min",
                Number(results["ownTests"]?["wallMinutes"]) ?? CiSection("The project's own tests"), "min", v => v <= 5,
                () => Slowest(results["ownTests"], "slowest", "seconds") ?? "see the .ci/run part: measured as its own-tests section"),
            Target(".ci/run", "≤ 35 min", Number(results["ci"]?["wallMinutes"]), "min", v => v <= 35, () => Slowest(results["ci"], "sections", "minutes")),
            Target($"verdicts computed per distinct resource content ({largestRun?["members"]?.ToString() ?? "?"} members; {asked?.ToString() ?? "?"} asked)", "= 1",
                computed is not null && distinct is > 0 ? computed / distinct : null, "", v => v <= 1.0,
                () => $"{computed} validations for {distinct} distinct contents: something validates without the memo"),
        ];
    }

    private static string Markdown(JsonObject results)
    {
        var md = new StringBuilder();
        var machine = results["machine"]!;
        md.AppendLine("# Benchmark results").AppendLine();
        md.AppendLine($"Measured {results["measuredAt"]} ({results["mode"]} mode) on {machine["cores"]} cores ({machine["cpu"]}), {machine["memoryGb"]} GB, {machine["os"]}, {machine["dotnet"]}.");
        md.AppendLine($"Load average at start {Load(results["loadAverageAtStart"])}, at end {Load(results["loadAverageAtEnd"])} (1, 5, 15 min): above {machine["cores"]} the figures are inflated by other work on the machine.").AppendLine();

        md.AppendLine("## Targets (issue #16)").AppendLine().AppendLine("| Target | Limit | Measured | Met | Where missed, what dominates |").AppendLine("| --- | --- | ---: | --- | --- |");
        foreach (var target in results["targets"]!.AsArray())
            md.AppendLine($"| {target!["target"]} | {target["limit"]} | {target["value"]?.ToString() ?? "–"} {target["unit"]} | {Met(target["met"])} | {target["dominatedBy"]?.ToString() ?? ""} |");

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
        foreach (var (title, key) in new[] { ("Detection suite", "detection"), ("Own tests", "ownTests"), (".ci/run", "ci") })
        {
            if (results[key] is not { } part) continue;
            md.AppendLine().AppendLine($"## {title}").AppendLine();
            md.AppendLine($"{part["what"]}: {part["wallMinutes"]} min, exit code {part["exitCode"]?.ToString() ?? "none (killed)"}.").AppendLine();
            foreach (var item in (part["slowest"] ?? part["sections"])?.AsArray() ?? [])
                md.AppendLine($"- {item!["name"]}: {item["seconds"] ?? item["minutes"]} {(item["seconds"] is null ? "min" : "s")}");
        }
        return md.ToString();
    }

    private static string Load(JsonNode? node) => node is JsonArray a ? string.Join(", ", a.Select(v => v!.ToString())) : "?";
    private static string Met(JsonNode? node) => node is null ? "–" : (bool)node ? "yes" : "**no**";
    private static string Percent(JsonNode? node) => node is null ? "–" : $"{Math.Round((double)node * 100, 1)} %";
}
