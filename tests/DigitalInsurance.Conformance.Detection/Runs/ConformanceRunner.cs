namespace DigitalInsurance.Conformance.Detection.Runs;

/// <summary>One conformance run to make: against the sandbox with <see cref="Fault"/> on (null: clean), as a user runs it.</summary>
/// <param name="Variations">DIC_SANDBOX_VARIATIONS of the run: comma-separated conformant variations, null for none.</param>
public sealed record RunRequest(string Name, string? Fault, string? Filter, IReadOnlyDictionary<string, string> Environment, TimeSpan Bound, string? Variations = null);

/// <summary>What one conformance run produced.</summary>
public sealed record RunRecord(RunRequest Request, string Folder, ProcessEnd End, IReadOnlyList<ScenarioResult> Scenarios, IReadOnlyList<string> Problems)
{
    public string LogFile => Path.Combine(Folder, ConformanceRunner.LogFileName);
}

/// <summary>
/// Runs the conformance suite the way its README tells users to: the root project is built once, then each run is a
/// <c>dotnet test --no-build</c> of it with the fault in DIC_SANDBOX_FAULTS, its own results directory, Allure and
/// Reqnroll report paths, and the filter its row names; other DIC_ settings of the caller's shell are not passed on. Runs go in parallel up to DIC_DETECTION_PARALLEL_RUNS (default 2):
/// each embedded sandbox and mail listener takes free ports, so runs do not collide.
/// </summary>
public static class ConformanceRunner
{
    public const string LogFileName = "dotnet-test.log";
    public const string NUnitXmlFolder = "nunit";
    private static readonly TimeSpan BuildBound = TimeSpan.FromMinutes(20);

    /// <summary>Settings of the machine rather than of the run, passed on from the caller's environment.</summary>
    private static readonly HashSet<string> InheritedSettings = new(StringComparer.Ordinal) { "DIC_FHIR_PACKAGES", "DIC_BROWSER_EXECUTABLE_PATH" };

    public static int ParallelRuns { get; } = ReadParallelRuns();
    private static readonly SemaphoreSlim Slots = new(ParallelRuns, ParallelRuns);
    private static readonly Lazy<Task> Build = new(BuildOnceAsync);

    /// <summary>DIC_DETECTION_ARTIFACTS_PATH: build and run the conformance project under this artifacts path instead of its own bin/obj.</summary>
    public static string? ArtifactsPath =>
        Environment.GetEnvironmentVariable("DIC_DETECTION_ARTIFACTS_PATH") is { Length: > 0 } path ? Path.GetFullPath(path, Repository.Root) : null;

    public static async Task<RunRecord> RunAsync(RunRequest request)
    {
        await Build.Value;
        var folder = Path.Combine(Repository.RunsFolder, request.Name);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);

        var arguments = new List<string> { "test", Repository.ConformanceProject, "--no-build", "--results-directory", folder };
        if (ArtifactsPath is { } artifacts) arguments.AddRange(["--artifacts-path", artifacts]);
        if (request.Filter is not null) arguments.AddRange(["--filter", request.Filter]);
        // The TRX does not carry categories; the NUnit result XML of the same run does.
        arguments.AddRange(["--", $"NUnit.TestOutputXml={NUnitXmlFolder}", "NUnit.OutputXmlFolderMode=RelativeToResultDirectory"]);

        // The runs are reproducible: harness settings come from the runsettings and the table, not from the caller's shell.
        var environment = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith("DIC_", StringComparison.Ordinal) && !InheritedSettings.Contains(name))
            .ToDictionary(name => name, string? (_) => null, StringComparer.Ordinal);
        foreach (var (name, value) in new Dictionary<string, string?>
        {
            ["DIC_TARGET"] = "sandbox",
            ["DIC_SANDBOX_FAULTS"] = request.Fault ?? "",
            ["DIC_SANDBOX_VARIATIONS"] = request.Variations ?? "",
            // Parallel runs share the output folder: give each its own report files.
            ["DIC_ALLURE_RESULTS_PATH"] = Path.Combine(folder, "allure-results"),
            ["REQNROLL_FORMATTERS_HTML"] = $"outputFilePath={Path.Combine(folder, "reqnroll_report.html")}",
            ["REQNROLL_FORMATTERS_MESSAGE"] = $"outputFilePath={Path.Combine(folder, "reqnroll_report.ndjson")}",
        })
            environment[name] = value;
        foreach (var (name, value) in request.Environment) environment[name] = value;

        await Slots.WaitAsync();
        ProcessEnd end;
        try
        {
            end = await ChildProcess.RunAsync(ChildProcess.Dotnet, arguments, new ChildProcessOptions
            {
                Environment = environment,
                WorkingDirectory = Repository.Root,
                LogPath = Path.Combine(folder, LogFileName),
                Timeout = request.Bound,
            });
        }
        finally
        {
            Slots.Release();
        }

        var problems = new List<string>();
        if (!end.EndedByItself)
            problems.Add($"The run did not end by itself within {request.Bound.TotalSeconds:0} s and was killed (a hang, not a verdict).");
        var trx = Directory.EnumerateFiles(folder, "*.trx", SearchOption.TopDirectoryOnly).FirstOrDefault();
        var nunitXml = Directory.Exists(Path.Combine(folder, NUnitXmlFolder))
            ? Directory.EnumerateFiles(Path.Combine(folder, NUnitXmlFolder), "*.xml").FirstOrDefault()
            : null;
        var scenarios = RunResults.Read(trx, nunitXml, problems);
        if (end.EndedByItself && scenarios.Count == 0 && problems.Count == 0)
            problems.Add($"The run executed no scenario{(request.Filter is null ? "" : $" (filter {request.Filter})")}.");
        if (end.EndedByItself && end.ExitCode is not (0 or 1))
            problems.Add($"dotnet test exited with code {end.ExitCode} (0: all passed, 1: some failed; anything else: the run itself failed).");
        return new RunRecord(request, folder, end, scenarios, problems);
    }

    private static async Task BuildOnceAsync()
    {
        var log = Path.Combine(Repository.RunsFolder, "build.log");
        if (File.Exists(log)) File.Delete(log);
        var arguments = new List<string> { "build", Repository.ConformanceProject, "-nologo", "-v", "q", "--disable-build-servers" };
        if (ArtifactsPath is { } artifacts) arguments.AddRange(["--artifacts-path", artifacts]);
        var end = await ChildProcess.RunAsync(ChildProcess.Dotnet, arguments,
            new ChildProcessOptions { WorkingDirectory = Repository.Root, LogPath = log, Timeout = BuildBound });
        if (!end.EndedByItself || end.ExitCode != 0)
            throw new InvalidOperationException(
                $"Building {Repository.ConformanceProjectFile} failed{(end.EndedByItself ? $" (exit code {end.ExitCode})" : $": not done within {BuildBound.TotalMinutes:0} min")}; " +
                $"no conformance run was made. Last lines of {log}:{Environment.NewLine}{ChildProcess.Tail(log, 25)}");
    }

    private static int ReadParallelRuns()
    {
        var text = Environment.GetEnvironmentVariable("DIC_DETECTION_PARALLEL_RUNS");
        if (string.IsNullOrWhiteSpace(text)) return 2;
        if (int.TryParse(text, out var runs) && runs is >= 1 and <= 16) return runs;
        throw new InvalidOperationException($"DIC_DETECTION_PARALLEL_RUNS='{text}' is not a number of parallel conformance runs from 1 to 16.");
    }
}
