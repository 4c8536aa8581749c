using System.Xml.Linq;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Runner;

/// <summary>
/// tests/BridgeSample: sample features and bindings compiled with the real support/runner sources. Built once per
/// test run into a private artifacts folder (no clash with a concurrent run, nothing left in the repository), then
/// run with <c>dotnet test</c>; results are read from the TRX file.
/// </summary>
internal sealed class BridgeSample : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);
    private readonly string _workFolder = Path.Combine(Path.GetTempPath(), "bridge-sample-" + Guid.NewGuid().ToString("N")[..8]);
    private int _runs;

    private BridgeSample(string projectFolder) => ProjectFolder = projectFolder;

    public string ProjectFolder { get; }

    /// <summary>The folder of the built sample: features, reqnroll.json and the reports Reqnroll writes.</summary>
    public string OutputFolder { get; private set; } = "";

    /// <summary>The sample's source folder: it holds <c>features/</c> like an output folder does.</summary>
    public static string SourceFolder => Path.Combine(RepositoryRoot(), "tests", "BridgeSample");

    public static async Task<BridgeSample> BuildAsync()
    {
        var sample = new BridgeSample(SourceFolder);
        var artifacts = Path.Combine(sample._workFolder, "artifacts");
        var build = await RunDotnetAsync(sample.ProjectFolder, null,
            "build", "BridgeSample.csproj", "--artifacts-path", artifacts, "--disable-build-servers", "-nologo", "-v", "q");
        if (build.ExitCode != 0)
            throw new InvalidOperationException($"Building the bridge sample failed:\n{build.Output}");
        sample.OutputFolder = Directory.GetDirectories(Path.Combine(artifacts, "bin", "BridgeSample")).Single();
        return sample;
    }

    public async Task<TestRunResults> TestAsync(string? filter = null, string? runStartFailure = null)
    {
        var trx = Path.Combine(_workFolder, $"run{++_runs}.trx");
        var arguments = new List<string> { "test", Path.Combine(OutputFolder, "BridgeSample.dll"), "--logger", $"trx;LogFileName={trx}" };
        if (filter is not null)
            arguments.AddRange(["--filter", filter]);
        var run = await RunDotnetAsync(OutputFolder, runStartFailure, [.. arguments]);
        if (!File.Exists(trx))
            throw new InvalidOperationException($"dotnet test wrote no TRX file (exit code {run.ExitCode}):\n{run.Output}");
        return TestRunResults.FromTrx(XDocument.Load(trx));
    }

    public void Dispose()
    {
        try { Directory.Delete(_workFolder, recursive: true); }
        catch (IOException) { }
    }

    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "DigitalInsurance.Conformance.csproj")))
                return folder.FullName;
        throw new InvalidOperationException("Repository root (DigitalInsurance.Conformance.csproj) not found above " + TestContext.CurrentContext.TestDirectory);
    }

    private static async Task<(int ExitCode, string Output)> RunDotnetAsync(string workingDirectory, string? runStartFailure, params string[] arguments)
    {
        var end = await ChildProcess.RunAsync(ChildProcess.Dotnet, arguments, new ChildProcessOptions
        {
            WorkingDirectory = workingDirectory,
            CleanDotnetEnvironment = true,
            Environment = new Dictionary<string, string?> { ["BRIDGE_SAMPLE_RUN_START_FAILS"] = runStartFailure ?? "" },
            Timeout = CommandTimeout,
        });
        return (end.RequireEnded($"dotnet {string.Join(' ', arguments)}"), end.Output);
    }
}

internal sealed record TestCaseResult(string FullyQualifiedName, string Name, string Outcome, string Message, string StackTrace, string StdOut)
{
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
}

internal sealed class TestRunResults(IReadOnlyList<TestCaseResult> results)
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public IReadOnlyList<TestCaseResult> All { get; } = results;

    public IEnumerable<string> Names => All.Select(r => r.Name);

    public TestCaseResult this[string name] =>
        All.SingleOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"No result for '{name}'. Results: {string.Join(", ", Names)}");

    public static TestRunResults FromTrx(XDocument trx)
    {
        var classNames = trx.Descendants(Trx + "UnitTest").ToDictionary(
            t => (string)t.Attribute("id")!,
            t => (string)t.Element(Trx + "TestMethod")!.Attribute("className")!);
        return new TestRunResults(trx.Descendants(Trx + "UnitTestResult").Select(r =>
        {
            var name = (string)r.Attribute("testName")!;
            var output = r.Element(Trx + "Output");
            return new TestCaseResult(
                $"{classNames[(string)r.Attribute("testId")!]}.{name}",
                name,
                (string)r.Attribute("outcome")!,
                output?.Element(Trx + "ErrorInfo")?.Element(Trx + "Message")?.Value ?? "",
                output?.Element(Trx + "ErrorInfo")?.Element(Trx + "StackTrace")?.Value ?? "",
                output?.Element(Trx + "StdOut")?.Value ?? "")
            {
                Start = DateTimeOffset.TryParse((string?)r.Attribute("startTime"), out var start) ? start : default,
                End = DateTimeOffset.TryParse((string?)r.Attribute("endTime"), out var end) ? end : default,
            };
        }).ToList());
    }
}
