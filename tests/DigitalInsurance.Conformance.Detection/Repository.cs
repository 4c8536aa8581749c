namespace DigitalInsurance.Conformance.Detection;

/// <summary>Where the repository's pieces are, found from the test assembly upwards (the suite runs from the working tree).</summary>
public static class Repository
{
    public const string ConformanceProjectFile = "DigitalInsurance.Conformance.csproj";
    private const string DetectionProjectPath = "tests/DigitalInsurance.Conformance.Detection";

    private static readonly Lazy<string> RootFolder = new(() => FindRoot());

    public static string Root => RootFolder.Value;
    public static string ConformanceProject => Path.Combine(Root, ConformanceProjectFile);
    public static string DetectionProjectFolder => Path.Combine(Root, DetectionProjectPath);
    public static string MatrixFile => Path.Combine(Root, "docs", "detection-matrix.md");

    /// <summary>Per-run folders (TRX, NUnit XML, logs, reports): DIC_DETECTION_RESULTS, else TestResults/runs of this project.</summary>
    public static string RunsFolder =>
        Environment.GetEnvironmentVariable("DIC_DETECTION_RESULTS") is { Length: > 0 } configured
            ? Path.GetFullPath(configured, Root)
            : Path.Combine(DetectionProjectFolder, "TestResults", "runs");

    /// <summary>Above the test assembly (the usual bin/ folder), else above this source file (a build under --artifacts-path).</summary>
    private static string FindRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) })
            for (var folder = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); folder is not null; folder = folder.Parent)
                if (File.Exists(Path.Combine(folder.FullName, ConformanceProjectFile)) && Directory.Exists(Path.Combine(folder.FullName, DetectionProjectPath)))
                    return folder.FullName;
        throw new InvalidOperationException(
            $"The repository root ({ConformanceProjectFile} beside {DetectionProjectPath}) was not found above {AppContext.BaseDirectory}: run the detection suite from its place in the repository.");
    }
}
