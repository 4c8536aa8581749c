using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Validation;
using Validator = Firely.Fhir.Validation.Validator;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace DigitalInsurance.Conformance.Bench;

/// <summary>
/// Validator cold start: a new process per measurement (<see cref="ProbeCommand"/>), from the process's start to the
/// validator created, the first verdict (a sandbox Patient) and the warm-up of every resource type done. First with an
/// empty harness cache (a fresh XDG_CACHE_HOME: packages unpacked, R4 core indexed), then with the cache it left.
/// For comparison, the same start with Firely's own sources (DirectorySource per package, ZipSource for R4 core), as the
/// harness did before its cache.
/// </summary>
public static class ColdStart
{
    public const string ProbeCommand = "probe-cold-start";
    private const string FirelySourcesFlag = "--firely-sources";

    public static async Task<JsonObject> MeasureAsync(BenchOptions options)
    {
        var repetitions = options.Short ? 3 : 7;
        var cacheHome = Directory.CreateTempSubdirectory("dic-bench-cache-").FullName;
        try
        {
            Console.WriteLine($"Cold start: 1 run without cache, {repetitions} with it, {repetitions} with Firely's sources (cache {cacheHome})");
            var withoutCache = await RunProbeAsync(options, cacheHome, firelySources: false);
            var warm = new List<JsonObject>();
            for (var i = 0; i < repetitions; i++) warm.Add(await RunProbeAsync(options, cacheHome, firelySources: false));
            var firely = new List<JsonObject>();
            for (var i = 0; i < repetitions; i++) firely.Add(await RunProbeAsync(options, cacheHome, firelySources: true));

            return new JsonObject
            {
                ["what"] = "New process (dotnet <bench>.dll) → ConformanceValidator.CreateAsync (packages located, definitions indexed, manifest profiles checked) → first verdict (Validate of sandbox Patient amy-shaw) → WarmUpAsync done (Patient, Coverage, Organization). Milliseconds from the process's start; cpuMs is the process's CPU time (all threads) at the end, cpuMsAt at each milestone: on a machine busy with other work the wall times stretch, the CPU times much less.",
                ["withoutCache"] = withoutCache,
                ["warmCache"] = Summary(warm),
                ["firelySourcesWarm"] = Summary(firely),
            };
        }
        finally
        {
            Directory.Delete(cacheHome, recursive: true);
        }
    }

    private static JsonObject Summary(List<JsonObject> runs)
    {
        double Median(string key) => Statistics.Median(runs.Select(r => r[key]!.GetValue<double>()));
        return new JsonObject
        {
            ["runs"] = runs.Count,
            ["medianCreatedMs"] = Median("createdMs"),
            ["medianFirstVerdictMs"] = Median("firstVerdictMs"),
            ["medianReadyMs"] = Median("readyMs"),
            ["medianCpuMs"] = Median("cpuMs"),
            ["medianCpuAtFirstVerdictMs"] = Statistics.Median(runs.Select(r => r["cpuMsAt"]!["firstVerdict"]!.GetValue<double>())),
            ["all"] = new JsonArray(runs.Select(r => (JsonNode)r.DeepClone()).ToArray()),
        };
    }

    private static async Task<JsonObject> RunProbeAsync(BenchOptions options, string cacheHome, bool firelySources)
    {
        var arguments = new List<string>
        {
            typeof(ColdStart).Assembly.Location, ProbeCommand,
            Path.Combine(AppContext.BaseDirectory, "profiles"), options.FhirPackages,
            Path.Combine(options.RepositoryRoot, "sandbox", "data", "03-shaw", "Patient-amy-shaw.json"),
        };
        if (firelySources) arguments.Add(FirelySourcesFlag);
        var result = await ChildProcess.RunAsync(ChildProcess.Dotnet, arguments,
            new ChildProcessOptions { Environment = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = cacheHome }, Timeout = TimeSpan.FromMinutes(5) });
        if (result.RequireEnded("the cold-start probe") != 0)
            throw new InvalidOperationException($"The cold-start probe failed (exit {result.ExitCode}): {result.StandardError}{result.StandardOutput}");
        var probe = JsonNode.Parse(result.StandardOutput.Trim().Split('\n')[^1])!.AsObject();
        probe["processWallMs"] = Math.Round(result.Duration.TotalMilliseconds);
        Console.WriteLine($"  {(firelySources ? "firely sources" : "harness")}: first verdict {probe["firstVerdictMs"]} ms, ready {probe["readyMs"]} ms, cpu {probe["cpuMs"]} ms");
        return probe;
    }

    /// <summary>The child process: prints one JSON line with its milestones.</summary>
    public static async Task<int> ProbeAsync(string[] args)
    {
        var (profiles, packages, patientFile) = (args[0], args[1], args[2]);
        var firelySources = args.Contains(FirelySourcesFlag);
        var started = Process.GetCurrentProcess().StartTime;
        double SinceStart() => Math.Round((DateTime.Now - started).TotalMilliseconds);
        double Cpu() => Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds);
        var cpu = new JsonObject();
        var mainMs = SinceStart();
        var patient = await File.ReadAllTextAsync(patientFile);

        double createdMs, firstVerdictMs, readyMs;
        string verdict;
        if (firelySources)
        {
            var (validator, profilesToCheck) = FirelyValidator(profiles);
            createdMs = SinceStart();
            cpu["created"] = Cpu();
            var resource = new FhirJsonDeserializer(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable)).DeserializeResource(patient);
            var outcome = profilesToCheck["Patient"].Select(p => validator.Validate(resource, p)).ToList();
            firstVerdictMs = SinceStart();
            cpu["firstVerdict"] = Cpu();
            foreach (var (type, urls) in profilesToCheck.Where(p => p.Key != "Patient"))
                foreach (var url in urls)
                    validator.Validate(WarmUpInstance(type), url);
            readyMs = SinceStart();
            verdict = $"{outcome.Sum(o => o.Errors)} errors, {outcome.Sum(o => o.Warnings)} warnings";
        }
        else
        {
            var validator = await ConformanceValidator.CreateAsync(new ValidationSettings { PackageFolder = packages, IgVersion = "1.0.0" }, profiles);
            createdMs = SinceStart();
            cpu["created"] = Cpu();
            var report = validator.Validate(patient);
            firstVerdictMs = SinceStart();
            cpu["firstVerdict"] = Cpu();
            await validator.WarmUpAsync();
            readyMs = SinceStart();
            verdict = report.Summary;
        }

        Console.WriteLine(new JsonObject
        {
            ["sources"] = firelySources ? "firely" : "harness",
            ["mainMs"] = mainMs,
            ["createdMs"] = createdMs,
            ["firstVerdictMs"] = firstVerdictMs,
            ["readyMs"] = readyMs,
            ["cpuMs"] = Cpu(),
            ["cpuMsAt"] = cpu,
            ["verdict"] = verdict,
        }.ToJsonString());
        return 0;
    }

    /// <summary>The validator as the harness built it before its cache: Firely's DirectorySource per package and ZipSource for R4 core.</summary>
    private static (Validator, Dictionary<string, List<string>>) FirelyValidator(string profilesFolder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(profilesFolder, "c4dic-1.0.0.json")));
        var profiles = manifest.RootElement.GetProperty("profiles").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(u => u.GetString()!).ToList());
        var extracted = Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME")!, "dic-conformance", "fhir-packages");
        var sources = manifest.RootElement.GetProperty("packages").EnumerateArray()
            .Select(p => Directory.GetDirectories(extracted, p.GetString() + "-*").Single())
            .Select(folder => (IResourceResolver)new DirectorySource(Path.Combine(folder, "package")))
            .Append(ZipSource.CreateValidationSource(Path.Combine(AppContext.BaseDirectory, "specification.zip")));
        var resolver = new CachedResolver(new MultiResolver(sources));
        foreach (var url in profiles.Values.SelectMany(u => u))
            _ = resolver.ResolveByCanonicalUri(url) ?? throw new InvalidOperationException($"{url} not found");
        var terminology = LocalTerminologyService.CreateDefaultForCore(resolver, new ValueSetExpanderSettings { ValueSetSource = resolver });
        return (new Validator(resolver, terminology), profiles);
    }

    private static Resource WarmUpInstance(string type) =>
        (Resource)Activator.CreateInstance(ModelInfo.GetTypeForFhirType(type)!)!;
}
