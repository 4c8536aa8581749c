using System.Reflection;
using System.Runtime.InteropServices;

namespace DigitalInsurance.Conformance.Support.Reporting;

/// <summary>A value shown as a parameter of every scenario (e.g. the member), optionally left out of history or masked.</summary>
/// <param name="Excluded">Volatile (a run id, a per-run email): shown, but not part of the test's history identity.</param>
/// <param name="Secret">Shown masked by Allure; the value written is redacted in any case.</param>
public sealed record RunParameter(string Name, string Value, bool Excluded = false, bool Secret = false);

/// <summary>What the run knows about itself, for labels, parameters and environment.properties.</summary>
public sealed record AllureRunInfo
{
    /// <summary>ReportingSettings.AllureResultsPath; a relative path is taken under the test output folder.</summary>
    public string ResultsPath { get; init; } = "allure-results";
    /// <summary>ReportingSettings.KeepPreviousResults; otherwise earlier results in the folder are removed at run start.</summary>
    public bool KeepPreviousResults { get; init; }
    /// <summary>"sandbox" or the external payer's name: the "target" label and parameter of every scenario.</summary>
    public string Target { get; init; } = "unspecified";
    public Uri? AuthBaseUrl { get; init; }
    public Uri? FhirBaseUrl { get; init; }
    /// <summary>FHIR packages the validator loaded, as "name#version".</summary>
    public IReadOnlyList<string> IgPackages { get; init; } = [];
    /// <summary>Null: the harness assembly's informational version.</summary>
    public string? HarnessVersion { get; init; }
    public string? BrowserVersion { get; init; }
    public IReadOnlyList<RunParameter> Parameters { get; init; } = [];
    /// <summary>More environment.properties entries (key → value).</summary>
    public IReadOnlyDictionary<string, string> ExtraEnvironment { get; init; } = new Dictionary<string, string>();

    internal IEnumerable<KeyValuePair<string, string>> EnvironmentEntries()
    {
        yield return new("target", Target);
        if (AuthBaseUrl is not null) yield return new("auth.baseUrl", AuthBaseUrl.AbsoluteUri);
        if (FhirBaseUrl is not null) yield return new("fhir.baseUrl", FhirBaseUrl.AbsoluteUri);
        if (IgPackages.Count > 0) yield return new("ig.packages", string.Join(", ", IgPackages));
        yield return new("harness.version", HarnessVersion ?? DefaultHarnessVersion());
        if (BrowserVersion is not null) yield return new("browser.version", BrowserVersion);
        yield return new("os", RuntimeInformation.OSDescription);
        yield return new("dotnet", RuntimeInformation.FrameworkDescription);
        foreach (var entry in ExtraEnvironment) yield return entry;
    }

    private static string DefaultHarnessVersion()
    {
        var assembly = typeof(AllureRunInfo).Assembly;
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
               ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}

/// <summary>
/// The run's Allure results folder and what every result carries. Configure it once before the first scenario ends
/// (a [BeforeTestRun] hook); without it results go to allure-results under the test output folder, target "unspecified".
/// </summary>
public static class AllureRun
{
    private static readonly Lock Gate = new();
    private static AllureResultsWriter? _writer;
    private static readonly Dictionary<string, string> LateEnvironment = new(StringComparer.Ordinal);

    public static void Configure(AllureRunInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        lock (Gate)
        {
            var directory = ResolveResultsDirectory(info.ResultsPath);
            if (_writer is null || !PathsEqual(_writer.Directory, directory))
            {
                // A folder is cleaned once per process, before anything of this run is in it.
                _writer = new AllureResultsWriter(directory, info);
                _writer.Prepare(info.KeepPreviousResults);
            }
            else
            {
                _writer.Run = info;
            }
            _writer.WriteRunFiles(LateEnvironment);
        }
    }

    /// <summary>Adds or replaces an environment.properties entry learnt during the run (e.g. the browser version).</summary>
    public static void SetEnvironment(string key, string value)
    {
        lock (Gate)
        {
            LateEnvironment[key] = value;
            Writer.WriteRunFiles(LateEnvironment);
        }
    }

    /// <summary>The absolute folder results are written to.</summary>
    public static string ResultsDirectory => Writer.Directory;

    internal static AllureResultsWriter Writer
    {
        get
        {
            lock (Gate)
            {
                if (_writer is null) Configure(new AllureRunInfo());
                return _writer!;
            }
        }
    }

    /// <summary>Relative paths are under the folder the harness assembly runs from (the test output folder).</summary>
    public static string ResolveResultsDirectory(string resultsPath)
    {
        if (string.IsNullOrWhiteSpace(resultsPath)) resultsPath = "allure-results";
        var baseDirectory = Path.GetDirectoryName(typeof(AllureRun).Assembly.Location) ?? AppContext.BaseDirectory;
        return Path.GetFullPath(Path.IsPathRooted(resultsPath) ? resultsPath : Path.Combine(baseDirectory, resultsPath));
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b),
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
