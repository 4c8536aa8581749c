using System.Xml.Linq;
using DigitalInsurance.Conformance.Tests.Browser;
using DigitalInsurance.Conformance.Tests.Validation;

namespace DigitalInsurance.Conformance.Tests.Runner;

/// <summary>
/// The conformance suite as a user runs it: `dotnet test` on its built assembly in a child process, with a clean
/// environment plus the DIC_ settings given. The suite is built with this test project (a project reference).
/// </summary>
internal static class ConformanceSuiteProcess
{
    /// <summary>The suite's own output folder, of the same configuration this test project was built in.</summary>
    public static string OutputFolder
    {
        get
        {
            // …/tests/DigitalInsurance.Conformance.Tests/bin/<Configuration>/<tfm>/
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(RepositoryFiles.Root, "bin", tfm.Parent!.Name, tfm.Name);
        }
    }

    public static string Assembly => Path.Combine(OutputFolder, "DigitalInsurance.Conformance.dll");

    /// <summary>`dotnet test` the suite assembly with <paramref name="arguments"/> after it.</summary>
    public static async Task<(int ExitCode, string Output)> TestAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        if (!File.Exists(Assembly)) throw new InvalidOperationException($"The conformance suite is not built at {Assembly}: build tests/DigitalInsurance.Conformance.Tests first.");
        // The harness's own settings come only from the test: none of the caller's DIC_ variables.
        var variables = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith("DIC_", StringComparison.Ordinal))
            .ToDictionary(name => name, string? (_) => null);
        if (ValidationTestEnvironment.PackageFolder is { } packages) variables["DIC_FHIR_PACKAGES"] = packages;
        // The user's own reports (allure-results and Reqnroll's reports in the suite's output folder) are not this
        // test's to overwrite: an inner run writes them to a folder of its own unless the test names one.
        var reports = Directory.CreateTempSubdirectory("dic-suite-reports-").FullName;
        variables["DIC_ALLURE_RESULTS_PATH"] = Path.Combine(reports, "allure-results");
        variables["REQNROLL_FORMATTERS_HTML"] = $"outputFilePath={Path.Combine(reports, "reqnroll_report.html")}";
        variables["REQNROLL_FORMATTERS_MESSAGE"] = $"outputFilePath={Path.Combine(reports, "reqnroll_report.ndjson")}";
        foreach (var (name, value) in environment) variables[name] = value;

        try
        {
            var end = await ChildProcess.RunAsync(ChildProcess.Dotnet, ["test", Assembly, .. arguments], new ChildProcessOptions
            {
                WorkingDirectory = RepositoryFiles.Root,
                Environment = variables,
                CleanDotnetEnvironment = true,
                Timeout = timeout,
            });
            return (end.RequireEnded($"dotnet test {string.Join(' ', arguments)}"), end.Output);
        }
        finally
        {
            try { Directory.Delete(reports, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>Runs the suite with a TRX logger and returns its results.</summary>
    public static async Task<(TestRunResults Results, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        var trx = Path.Combine(Path.GetTempPath(), $"dic-suite-{Guid.NewGuid():N}.trx");
        try
        {
            var (exitCode, output) = await TestAsync(environment, timeout, [.. arguments, "--logger", $"trx;LogFileName={trx}"]);
            if (!File.Exists(trx)) throw new InvalidOperationException($"dotnet test wrote no TRX file (exit code {exitCode}):\n{output}");
            return (TestRunResults.FromTrx(XDocument.Load(trx)), output);
        }
        finally
        {
            File.Delete(trx);
        }
    }

    /// <summary>`dotnet test --list-tests`: the names of the tests discovery builds, in the order listed.</summary>
    public static async Task<IReadOnlyList<string>> ListTestsAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var (exitCode, output) = await TestAsync(environment, TimeSpan.FromMinutes(3), ["--list-tests", .. arguments]);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.FindIndex(l => l.StartsWith("The following Tests are available", StringComparison.Ordinal));
        if (exitCode != 0 || start < 0) throw new InvalidOperationException($"dotnet test --list-tests failed (exit code {exitCode}):\n{output}");
        return lines.Skip(start + 1).Where(l => l.StartsWith("    ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
    }
}
