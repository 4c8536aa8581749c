using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Validation;

namespace DigitalInsurance.Conformance.Bench;

/// <summary>
/// Warm validation throughput per resource type, with BenchmarkDotNet (in process, after the validator's warm-up):
/// one invocation validates every resource of a kind — the sandbox's data (sandbox/data) or the C4DIC package's own
/// examples — through <see cref="ConformanceValidator.ValidateWithoutMemo(string)"/> (the validation itself, not the per-run memo), JSON parsing included, as a scenario does.
/// </summary>
public static class Throughput
{
    public static JsonObject Measure(BenchOptions options)
    {
        ValidationThroughput.Inputs = BenchInputs.Load(options);
        var job = (options.Short ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance).WithId(options.Short ? "short" : "default");
        var config = DefaultConfig.Instance
            .AddJob(job)
            .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "dic-bench-artifacts"));
        var summary = BenchmarkRunner.Run<ValidationThroughput>(config);

        var cases = new JsonArray();
        foreach (var report in summary.Reports)
        {
            var name = (string)report.BenchmarkCase.Parameters["Case"]!;
            var input = ValidationThroughput.Inputs[name];
            var meanNanoseconds = report.ResultStatistics?.Mean ?? double.NaN;
            var perValidation = meanNanoseconds / input.Json.Count;
            cases.Add(new JsonObject
            {
                ["source"] = input.Source,
                ["resourceType"] = input.ResourceType,
                ["resources"] = input.Json.Count,
                ["verdicts"] = input.Verdicts,
                ["microsecondsPerValidation"] = Math.Round(perValidation / 1000, 1),
                ["validationsPerSecond"] = Math.Round(1e9 / perValidation),
                ["standardErrorPercent"] = report.ResultStatistics is { } stats ? Math.Round(100 * stats.StandardError / stats.Mean, 1) : null,
            });
        }
        return new JsonObject
        {
            ["what"] = "Warm ConformanceValidator.ValidateWithoutMemo(json) (parse + validation against the manifest's profiles and meta.profile), single thread (validations are serialised), BenchmarkDotNet " +
                       (options.Short ? "ShortRun (3 warm-up, 3 measured iterations)" : "default job") + ", in process.",
            ["cases"] = cases,
        };
    }
}

/// <summary>A kind of resources to validate: where they come from, their type, and the verdicts they get (errors/warnings).</summary>
public sealed record BenchInput(string Source, string ResourceType, List<string> Json, string Verdicts);

public static class BenchInputs
{
    public static Dictionary<string, BenchInput> Load(BenchOptions options)
    {
        var validator = SharedValidator.Get(options);
        var inputs = new Dictionary<string, BenchInput>();
        void Add(string source, string type, List<string> json)
        {
            if (json.Count == 0) return;
            var reports = json.Select(validator.Validate).ToList();
            inputs[$"{source} {type}"] = new BenchInput(source, type, json,
                $"{reports.Sum(r => r.ErrorCount)} errors, {reports.Sum(r => r.WarningCount)} warnings in {json.Count}");
        }

        var sandbox = SandboxResources(Path.Combine(options.RepositoryRoot, "sandbox", "data"));
        var examples = Path.Combine(validator.LoadedPackages.Single(p => p.Name == "hl7.fhir.us.insurance-card").ContentFolder, "example");
        foreach (var type in new[] { "Patient", "Coverage", "Organization" })
        {
            Add("sandbox", type, sandbox.Where(r => r.Type == type).Select(r => r.Json).ToList());
            Add("IG examples", type, Directory.GetFiles(examples, $"{type}-*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList());
        }
        return inputs;
    }

    /// <summary>Every resource in the data folder, Bundles flattened, as JSON.</summary>
    public static List<(string Type, string Json)> SandboxResources(string folder) =>
        Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(file =>
            {
                var node = JsonNode.Parse(File.ReadAllText(file))!;
                var resources = (string?)node["resourceType"] == "Bundle"
                    ? node["entry"]!.AsArray().Select(e => e!["resource"]!)
                    : [node];
                return resources.Select(r => ((string)r["resourceType"]!, r.ToJsonString()));
            })
            .ToList();
}

/// <summary>One validator per bench process, created and warmed up once.</summary>
public static class SharedValidator
{
    private static ConformanceValidator? _validator;

    public static ConformanceValidator Get(BenchOptions options)
    {
        if (_validator is not null) return _validator;
        var validator = ConformanceValidator.CreateAsync(new ValidationSettings { PackageFolder = options.FhirPackages, IgVersion = "1.0.0" },
            Path.Combine(AppContext.BaseDirectory, "profiles")).GetAwaiter().GetResult();
        validator.WarmUpAsync().GetAwaiter().GetResult();
        return _validator = validator;
    }
}

public class ValidationThroughput
{
    /// <summary>Set before BenchmarkDotNet runs (in process, so the static is shared).</summary>
    public static Dictionary<string, BenchInput> Inputs { get; set; } = [];

    public static IEnumerable<string> Cases => Inputs.Keys;

    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "";

    private ConformanceValidator _validator = null!;
    private List<string> _json = [];

    [GlobalSetup]
    public void Setup()
    {
        _validator = SharedValidator.Get(null!);
        _json = Inputs[Case].Json;
    }

    [Benchmark]
    public int ValidateAll()
    {
        var errors = 0;
        foreach (var json in _json) errors += _validator.ValidateWithoutMemo(json).ErrorCount;
        return errors;
    }
}
