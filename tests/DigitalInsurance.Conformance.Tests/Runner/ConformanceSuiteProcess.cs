using System.Diagnostics;
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
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryFiles.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("test");
        start.ArgumentList.Add(Assembly);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The outer `dotnet test` leaves MSBuild and VSTest variables behind that would steer the inner run; the
        // harness's own settings come only from the test.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DIC_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        if (ValidationTestEnvironment.PackageFolder is { } packages) start.Environment["DIC_FHIR_PACKAGES"] = packages;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // The user's own reports (allure-results and Reqnroll's reports in the suite's output folder) are not this
        // test's to overwrite: an inner run writes them to a folder of its own unless the test names one.
        var reports = Directory.CreateTempSubdirectory("dic-suite-reports-").FullName;
        start.Environment["DIC_ALLURE_RESULTS_PATH"] = Path.Combine(reports, "allure-results");
        start.Environment["REQNROLL_FORMATTERS_HTML"] = $"outputFilePath={Path.Combine(reports, "reqnroll_report.html")}";
        start.Environment["REQNROLL_FORMATTERS_MESSAGE"] = $"outputFilePath={Path.Combine(reports, "reqnroll_report.ndjson")}";
        foreach (var (name, value) in environment) start.Environment[name] = value;

        try
        {
            return await RunProcessAsync(start, timeout, arguments);
        }
        finally
        {
            try { Directory.Delete(reports, recursive: true); }
            catch (IOException) { }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(ProcessStartInfo start, TimeSpan timeout, string[] arguments)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet test {string.Join(' ', arguments)} did not finish within {timeout}:\n{await output}{await error}");
        }
        return (process.ExitCode, await output + await error);
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
