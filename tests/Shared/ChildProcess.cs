using System.Diagnostics;
using System.Text;

namespace DigitalInsurance.Conformance.ChildProcesses;

/// <summary>
/// How a child process ended: by itself (with its exit code) or killed at its time bound; what it wrote, unless it
/// wrote to a log file instead.
/// </summary>
public sealed record ProcessEnd(bool EndedByItself, int? ExitCode, TimeSpan Duration)
{
    public string StandardOutput { get; init; } = "";
    public string StandardError { get; init; } = "";

    /// <summary>Standard output, then standard error.</summary>
    public string Output => StandardOutput + StandardError;

    /// <summary>The exit code of a process that ended by itself; a <see cref="TimeoutException"/> naming <paramref name="command"/> otherwise.</summary>
    public int RequireEnded(string command) => EndedByItself && ExitCode is { } code
        ? code
        : throw new TimeoutException($"{command} did not finish within {Duration.TotalSeconds:0} s and was killed:{Environment.NewLine}{Output}");
}

/// <summary>What to run a child process with; every part is optional.</summary>
public sealed record ChildProcessOptions
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set; a null value removes the variable from the inherited environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// For a dotnet child of a `dotnet test`: drops the MSBuild and VSTest variables the outer run leaves behind, which
    /// would steer the inner build or run, and turns off the CLI's telemetry notice and logo.
    /// </summary>
    public bool CleanDotnetEnvironment { get; init; }

    /// <summary>The bound after which the process tree is killed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Append the command, every output line and how it ended to this file instead of keeping the output in memory.</summary>
    public string? LogPath { get; init; }

    /// <summary>Called with each line of standard output as it arrives (e.g. to echo progress).</summary>
    public Action<string>? OnOutputLine { get; init; }
}

/// <summary>
/// The one way the own tests, the detection suite and the bench run a command to its end: output captured (or logged),
/// a time bound after which the whole process tree is killed, and the result says which way it ended. Shared as a linked
/// source file (tests/Shared) by every project that starts child processes.
/// </summary>
public static class ChildProcess
{
    /// <summary>How long to wait for the output pipes after the process exited (children such as build servers may hold them).</summary>
    private static readonly TimeSpan OutputDrain = TimeSpan.FromSeconds(10);

    /// <summary>The dotnet host running this process (as `dotnet test` sets it), else dotnet from PATH.</summary>
    public static string Dotnet =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <exception cref="System.ComponentModel.Win32Exception"><paramref name="fileName"/> cannot be started (not installed).</exception>
    public static async Task<ProcessEnd> RunAsync(string fileName, IEnumerable<string> arguments, ChildProcessOptions? options = null)
    {
        options ??= new ChildProcessOptions();
        var argumentList = arguments.ToList();
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = options.WorkingDirectory ?? System.Environment.CurrentDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in argumentList) start.ArgumentList.Add(argument);
        if (options.CleanDotnetEnvironment)
        {
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                         || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
                start.Environment.Remove(name);
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
        }
        foreach (var (name, value) in options.Environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        StreamWriter? log = null;
        if (options.LogPath is { } logPath)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
            log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        }
        await using var _ = log;
        var output = new StringBuilder();
        var error = new StringBuilder();
        var gate = new Lock();
        void Record(StringBuilder buffer, string line)
        {
            lock (gate)
            {
                if (log is not null) log.WriteLine(line);
                else buffer.AppendLine(line);
            }
        }
        if (log is not null) Record(output, $"$ {fileName} {string.Join(' ', argumentList.Select(Quote))}");

        using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outputClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errorClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { outputClosed.TrySetResult(); return; }
            Record(output, e.Data);
            options.OnOutputLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is null) errorClosed.TrySetResult(); else Record(error, e.Data); };

        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var endedByItself = await Task.WhenAny(exited.Task, Task.Delay(options.Timeout)) == exited.Task;
        if (!endedByItself)
        {
            Record(error, $"### Not ended after {options.Timeout.TotalSeconds:0} s: killing the process tree.");
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { /* it ended just now */ }
            await Task.WhenAny(exited.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        }
        var duration = stopwatch.Elapsed;
        // Not WaitForExitAsync: it also waits for every process that inherited the output pipes.
        await Task.WhenAny(Task.WhenAll(outputClosed.Task, errorClosed.Task), Task.Delay(OutputDrain));
        int? exitCode = process.HasExited ? process.ExitCode : null;
        if (log is not null) Record(output, $"### Exit code {exitCode?.ToString() ?? "(none)"} after {duration.TotalSeconds:0} s.");
        lock (gate)
            return new ProcessEnd(endedByItself, endedByItself ? exitCode : null, duration)
            {
                StandardOutput = output.ToString(),
                StandardError = error.ToString(),
            };
    }

    /// <summary>The last lines of a log, for a one-look failure message.</summary>
    public static string Tail(string logPath, int lines)
    {
        if (!File.Exists(logPath)) return "(no output)";
        var all = File.ReadAllLines(logPath);
        return string.Join(System.Environment.NewLine, all.Skip(Math.Max(0, all.Length - lines)));
    }

    private static string Quote(string argument) => argument.Contains(' ') || argument.Contains('|') || argument.Contains('&') ? $"\"{argument}\"" : argument;
}
