using System.Diagnostics;

namespace DigitalInsurance.Conformance.Detection.Runs;

/// <summary>How a child process ended: by itself (with its exit code) or killed at its time bound.</summary>
public sealed record ProcessEnd(bool EndedByItself, int? ExitCode, TimeSpan Duration);

/// <summary>Runs a command with its output appended to a log file, and kills its whole process tree at the bound.</summary>
public static class ChildProcess
{
    /// <summary>How long to wait for the output pipes after the process exited (children such as build servers may hold them).</summary>
    private static readonly TimeSpan OutputDrain = TimeSpan.FromSeconds(10);

    public static string DotnetExecutable =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static async Task<ProcessEnd> RunAsync(string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment,
        string workingDirectory, string logPath, TimeSpan bound)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        await using var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var gate = new Lock();
        void Write(string? line)
        {
            if (line is null) return;
            lock (gate) log.WriteLine(line);
        }
        Write($"$ {fileName} {string.Join(' ', arguments.Select(Quote))}");

        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outputClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errorClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        process.OutputDataReceived += (_, e) => { if (e.Data is null) outputClosed.TrySetResult(); else Write(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is null) errorClosed.TrySetResult(); else Write(e.Data); };

        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var endedByItself = await Task.WhenAny(exited.Task, Task.Delay(bound)) == exited.Task;
        if (!endedByItself)
        {
            Write($"### Not ended after {bound.TotalSeconds:0} s: killing the process tree.");
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { /* it ended just now */ }
            await Task.WhenAny(exited.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        }
        var duration = stopwatch.Elapsed;
        // Not WaitForExitAsync: it also waits for every process that inherited the output pipes.
        await Task.WhenAny(Task.WhenAll(outputClosed.Task, errorClosed.Task), Task.Delay(OutputDrain));
        int? exitCode = process.HasExited ? process.ExitCode : null;
        Write($"### Exit code {exitCode?.ToString() ?? "(none)"} after {duration.TotalSeconds:0} s.");
        return new ProcessEnd(endedByItself, endedByItself ? exitCode : null, duration);
    }

    /// <summary>The last lines of a log, for a one-look failure message.</summary>
    public static string Tail(string logPath, int lines)
    {
        if (!File.Exists(logPath)) return "(no output)";
        var all = File.ReadAllLines(logPath);
        return string.Join(Environment.NewLine, all.Skip(Math.Max(0, all.Length - lines)));
    }

    private static string Quote(string argument) => argument.Contains(' ') || argument.Contains('|') || argument.Contains('&') ? $"\"{argument}\"" : argument;
}
