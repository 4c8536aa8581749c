using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DemoHealthPlan.Sandbox.Tests.Infrastructure;

/// <summary>
/// The sandbox as a person starts it: <c>dotnet DemoHealthPlan.Sandbox.dll</c> (the build the test project copies
/// beside its own output) in its own process, stdout and stderr captured line by line. Disposing kills it.
/// </summary>
public sealed class StandaloneSandbox : IDisposable
{
    /// <summary>The last line of the banner Program.cs prints once the sandbox listens.</summary>
    public const string BannerEnd = "Press Ctrl+C to stop.";

    /// <summary>How long a start (or a refused start) may take before the test gives up waiting; not a speed requirement.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource _bannerPrinted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StandaloneSandbox(Process process) => _process = process;

    public static string SandboxDll => Path.Combine(AppContext.BaseDirectory, "DemoHealthPlan.Sandbox.dll");

    public IReadOnlyList<string> Stdout => _stdout.ToList();
    public IReadOnlyList<string> Stderr => _stderr.ToList();
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static StandaloneSandbox Start(params string[] arguments)
    {
        if (!File.Exists(SandboxDll))
            throw new InvalidOperationException($"{SandboxDll} is missing: the test project's reference to sandbox/ copies the built sandbox there; rebuild.");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(SandboxDll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        var sandbox = new StandaloneSandbox(new Process { StartInfo = start, EnableRaisingEvents = true });
        sandbox._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            sandbox._stdout.Enqueue(e.Data);
            if (e.Data.Trim() == BannerEnd) sandbox._bannerPrinted.TrySetResult();
        };
        sandbox._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) sandbox._stderr.Enqueue(e.Data);
        };
        sandbox._process.Start();
        sandbox._process.BeginOutputReadLine();
        sandbox._process.BeginErrorReadLine();
        return sandbox;
    }

    /// <summary>Waits for the banner; fails with what the process printed if it exits or stays silent instead.</summary>
    public async Task WaitForBannerAsync()
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_bannerPrinted.Task, exited, Task.Delay(Patience));
        if (first != _bannerPrinted.Task)
            throw new InvalidOperationException(
                $"The sandbox did not print its banner ({(first == exited ? $"exit code {_process.ExitCode}" : $"still silent after {Patience.TotalSeconds} s")}).\n" +
                $"stdout:\n{string.Join('\n', Stdout)}\nstderr:\n{string.Join('\n', Stderr)}");
    }

    /// <summary>Waits for the process to end by itself, then for its output to be read to the end.</summary>
    public async Task WaitForExitAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(patience.Token);
    }

    /// <summary>The banner's "Label : value" lines.</summary>
    public IReadOnlyDictionary<string, string> BannerValues() =>
        Stdout.Select(line => line.Split(" : ", 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim());

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The dotnet host running these tests (so the same runtime), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? path
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }
        _process.Dispose();
    }
}
