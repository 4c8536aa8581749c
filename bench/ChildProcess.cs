using System.Diagnostics;
using System.Text;

namespace DigitalInsurance.Conformance.Bench;

public sealed record ChildResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed);

/// <summary>Runs a process to its end with extra environment variables, capturing its output and wall time.</summary>
public static class ChildProcess
{
    public static async Task<ChildResult> RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment,
        TimeSpan timeout, string? workingDirectory = null, bool echo = false)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var output = new StringBuilder();
        var error = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is null) return; lock (output) output.AppendLine(e.Data); if (echo) Console.WriteLine("    | " + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is null) return; lock (error) error.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }
        process.WaitForExit();
        watch.Stop();
        return new ChildResult(process.ExitCode, output.ToString(), error.ToString(), watch.Elapsed);
    }
}

public static class Statistics
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return double.NaN;
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
