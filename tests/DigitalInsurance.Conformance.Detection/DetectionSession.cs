using System.Collections.Concurrent;
using System.Diagnostics;
using DemoHealthPlan.Sandbox.Faults;
using DigitalInsurance.Conformance.Detection.Runs;
using DigitalInsurance.Conformance.Detection.Table;
using DigitalInsurance.Conformance.Detection.Verdicts;
using NUnit.Framework;

[assembly: LevelOfParallelism(4)]

namespace DigitalInsurance.Conformance.Detection;

/// <summary>
/// The verdicts of this test session's conformance runs. At the end of a session that ran every fault and every clean run,
/// writes docs/detection-matrix.md; after a partial session (a filter), writes the matrix only beside the runs' results.
/// </summary>
[SetUpFixture]
public sealed class DetectionSession
{
    private static readonly ConcurrentDictionary<string, FaultVerdict> FaultVerdicts = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<int, CleanVerdict> CleanVerdicts = new();
    private static readonly ConcurrentDictionary<string, VariationVerdict> VariationVerdicts = new(StringComparer.Ordinal);
    private static readonly Stopwatch WallClock = new();
    private static DateTimeOffset _started;

    public static void Record(FaultVerdict verdict) => FaultVerdicts[verdict.Fault] = verdict;
    public static void Record(CleanVerdict verdict) => CleanVerdicts[verdict.Number] = verdict;
    public static void Record(VariationVerdict verdict) => VariationVerdicts[verdict.Key] = verdict;

    [OneTimeSetUp]
    public void Start()
    {
        _started = DateTimeOffset.UtcNow;
        WallClock.Restart();
    }

    [OneTimeTearDown]
    public async Task WriteMatrix()
    {
        if (FaultVerdicts.IsEmpty && CleanVerdicts.IsEmpty && VariationVerdicts.IsEmpty) return;
        var table = DetectionTable.Load(DetectionTable.DefaultPath);
        var full = SandboxFaults.Known.Keys.All(FaultVerdicts.ContainsKey) && CleanVerdicts.Count == table.CleanRuns
                   && table.VariationRows.Keys.All(VariationVerdicts.ContainsKey);
        var input = new MatrixInput(table, SandboxFaults.Known, FaultVerdicts, CleanVerdicts.Values.ToList(), _started, WallClock.Elapsed,
            ConformanceRunner.ParallelRuns, await GitCommitAsync(), full, SandboxVariations.Known, VariationVerdicts);
        var markdown = DetectionMatrix.Render(input);

        Directory.CreateDirectory(Repository.RunsFolder);
        var sessionCopy = Path.Combine(Repository.RunsFolder, "detection-matrix.md");
        File.WriteAllText(sessionCopy, markdown);

        if (full)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Repository.MatrixFile)!);
            File.WriteAllText(Repository.MatrixFile, markdown);
            TestContext.Progress.WriteLine($"Detection matrix written to {Repository.MatrixFile} ({DetectionMatrix.Duration(WallClock.Elapsed)}).");
        }
        else
        {
            TestContext.Progress.WriteLine(
                $"Partial detection run: the matrix of this session is in {sessionCopy}; docs/detection-matrix.md is rewritten only by a full run.");
        }
    }

    private static async Task<string?> GitCommitAsync()
    {
        try
        {
            var git = await ChildProcess.RunAsync("git", ["-C", Repository.Root, "rev-parse", "--short", "HEAD"],
                new ChildProcessOptions { Timeout = TimeSpan.FromSeconds(5) });
            var commit = git.StandardOutput.Trim();
            return git.ExitCode == 0 && commit.Length > 0 ? commit : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git: the matrix just does not name the commit
        }
    }
}
