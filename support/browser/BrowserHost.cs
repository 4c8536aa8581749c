using System.Text.Json;
using DigitalInsurance.Conformance.Support.Configuration;
using Microsoft.Playwright;

namespace DigitalInsurance.Conformance.Support.Browser;

/// <summary>
/// The run's one Playwright driver and one Chromium (run-scoped): starting them costs about a second, so scenarios
/// share them and each gets its own context (<see cref="MemberBrowserSession"/>). The Chromium runs on this machine,
/// or on a Playwright server (a browser farm) when <see cref="BrowserSettings.ServerEndpoint"/> is set.
/// </summary>
public sealed class BrowserHost : IAsyncDisposable
{
    /// <summary>
    /// Keep Chromium quiet on a closed network: no update checks, sync, component downloads or first-run pages that
    /// would hang on DNS or add requests to traces.
    /// </summary>
    internal static readonly IReadOnlyList<string> QuietFlags =
    [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-default-apps",
    ];

    private readonly IPlaywright _playwright;

    private BrowserHost(IPlaywright playwright, IBrowser browser, string executablePath, BrowserSettings settings)
    {
        _playwright = playwright;
        Browser = browser;
        ExecutablePath = executablePath;
        Settings = settings;
    }

    internal IBrowser Browser { get; }
    public BrowserSettings Settings { get; }
    public string ExecutablePath { get; }

    /// <summary>E.g. "Chromium 156.0.8078.108", for the report's environment section.</summary>
    public string BrowserVersion => Settings.ServerEndpoint is { } server ? $"Chromium {Browser.Version} on the Playwright server {server}" : $"Chromium {Browser.Version}";

    /// <summary>The Playwright version a browser server must run: client and server speak one protocol version.</summary>
    public static string PlaywrightVersion => typeof(IPlaywright).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    public bool Headless => Settings.Headless;

    public static async Task<BrowserHost> StartAsync(BrowserSettings settings, CancellationToken cancellationToken = default)
    {
        // On a browser server, the executable is the server's business (see ConnectAsync).
        var executable = settings.ServerEndpoint is null ? ChromiumLocator.Find(settings.ExecutablePath) : settings.ExecutablePath ?? "";
        if (settings.ServerEndpoint is null && executable is null)
            TestContextProgress("No Chromium installed on this machine: using Playwright's own Chromium.");
        IPlaywright playwright;
        try
        {
            playwright = await Playwright.CreateAsync().WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new BrowserFlowException($"The Playwright driver did not start ({FirstLine(e.Message)}): rebuild so the .playwright folder is in the output.", e);
        }

        if (settings.ServerEndpoint is { } endpoint)
            return new BrowserHost(playwright, await ConnectAsync(playwright, endpoint, settings, cancellationToken), executable ?? "", settings);

        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = settings.Headless,
                Args = QuietFlags,
                Timeout = 60_000,
            }).WaitAsync(cancellationToken);
            return new BrowserHost(playwright, browser, executable ?? playwright.Chromium.ExecutablePath, settings);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            playwright.Dispose();
            if (executable is null)
                throw new BrowserFlowException(ChromiumLocator.NotFoundMessage(ChromiumLocator.CurrentOs, FirstLine(e.Message)), e);
            var hint = settings.Headless ? "" : " (headed mode needs a display: set DISPLAY or run headless)";
            throw new BrowserFlowException($"Chromium at {executable} did not start{hint}: {FirstLine(e.Message)}", e);
        }
    }

    /// <summary>
    /// Connects to `playwright run-server`, which launches a Chromium for this connection. The launch options travel in
    /// the x-playwright-launch-options header; a server started without --unsafe ignores the executable path and
    /// arguments and uses its own Chromium.
    /// </summary>
    private static async Task<IBrowser> ConnectAsync(IPlaywright playwright, Uri endpoint, BrowserSettings settings, CancellationToken cancellationToken)
    {
        var launch = new Dictionary<string, object> { ["headless"] = settings.Headless, ["args"] = QuietFlags };
        if (!string.IsNullOrWhiteSpace(settings.ExecutablePath)) launch["executablePath"] = settings.ExecutablePath;
        try
        {
            return await playwright.Chromium.ConnectAsync(endpoint.AbsoluteUri, new BrowserTypeConnectOptions
            {
                Timeout = 30_000,
                Headers = new Dictionary<string, string> { ["x-playwright-launch-options"] = JsonSerializer.Serialize(launch) },
            }).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            playwright.Dispose();
            throw new BrowserFlowException(
                $"No browser from the Playwright server at {endpoint}: {FirstLine(e.Message)}. Check browserServerEndpoint (DIC_BROWSER_SERVER_ENDPOINT); " +
                $"the server must run Playwright {PlaywrightVersion} (`npx playwright-core@{PlaywrightVersion} run-server --port <port>`).", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Browser.CloseAsync();
        }
        catch (PlaywrightException)
        {
            // Already gone (crashed or killed): nothing left to close.
        }
        _playwright.Dispose();
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static void TestContextProgress(string line) => NUnit.Framework.TestContext.Progress.WriteLine(line);
}

/// <summary>The operating systems the harness runs on: each has its own Chromium locations and install command.</summary>
public enum HostOs { Linux, MacOs, Windows }

/// <summary>
/// Finds a Chromium to drive: the configured one, else Playwright's own download, else the system's; null when there
/// is none, and Playwright then resolves its own browser (which it installs per OS).
/// </summary>
internal static class ChromiumLocator
{
    internal static readonly IReadOnlyList<string> SystemCandidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    internal static HostOs CurrentOs =>
        OperatingSystem.IsWindows() ? HostOs.Windows : OperatingSystem.IsMacOS() ? HostOs.MacOs : HostOs.Linux;

    public static string? Find(string? configuredPath) =>
        Find(configuredPath, PlaywrightBrowsersFolder(), File.Exists, CurrentOs, Environment.GetEnvironmentVariable);

    internal static string? Find(string? configuredPath, string? playwrightBrowsersFolder, Func<string, bool> fileExists) =>
        Find(configuredPath, playwrightBrowsersFolder, fileExists, HostOs.Linux, _ => null);

    internal static string? Find(string? configuredPath, string? playwrightBrowsersFolder, Func<string, bool> fileExists, HostOs os,
        Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            return fileExists(configuredPath)
                ? configuredPath
                : throw new BrowserFlowException($"browserExecutablePath '{configuredPath}' does not exist: fix it or unset it to use an installed Chromium.");
        }

        var candidates = os == HostOs.Linux ? PlaywrightManaged(playwrightBrowsersFolder).Concat(SystemCandidates) : SystemBrowsers(os, environment);
        return candidates.FirstOrDefault(fileExists);
    }

    /// <summary>Chrome or Chromium where their installers put them on macOS and Windows.</summary>
    internal static IEnumerable<string> SystemBrowsers(HostOs os, Func<string, string?> environment)
    {
        if (os == HostOs.MacOs)
            return ["/Applications/Chromium.app/Contents/MacOS/Chromium", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"];
        return new[] { "LOCALAPPDATA", "ProgramFiles", "ProgramFiles(x86)" }
            .Select(environment)
            .OfType<string>()
            .Where(folder => folder.Length > 0)
            .SelectMany(folder => new[] { Path.Combine(folder, "Chromium", "Application", "chrome.exe"), Path.Combine(folder, "Google", "Chrome", "Application", "chrome.exe") });
    }

    /// <summary>What to run so that a Chromium is there next time, for <paramref name="os"/>.</summary>
    internal static string InstallAdvice(HostOs os)
    {
        const string playwright = "`pwsh bin/Debug/net10.0/playwright.ps1 install chromium` (Playwright's own Chromium; run it in the project folder after a build)";
        var install = os == HostOs.Linux ? $"`apt-get install -y chromium` (Debian/Ubuntu) or {playwright}" : playwright;
        return $"install one with {install}, or set browserExecutablePath / DIC_BROWSER_EXECUTABLE_PATH to a Chromium or Chrome";
    }

    /// <summary>Neither a Chromium on this machine nor Playwright's own one started.</summary>
    internal static string NotFoundMessage(HostOs os, string playwrightError) =>
        $"No Chromium found: none configured, none installed where {os switch { HostOs.MacOs => "macOS", HostOs.Windows => "Windows", _ => "Linux" }} keeps it, " +
        $"and Playwright's own Chromium did not start ({playwrightError}). Fix: {InstallAdvice(os)}.";

    /// <summary>chromium-&lt;revision&gt;/chrome-linux*/chrome under Playwright's browser cache, newest revision first.</summary>
    internal static IEnumerable<string> PlaywrightManaged(string? browsersFolder)
    {
        if (browsersFolder is null || !Directory.Exists(browsersFolder)) return [];
        return Directory.GetDirectories(browsersFolder, "chromium-*")
            .Select(d => (Folder: d, Revision: int.TryParse(Path.GetFileName(d)["chromium-".Length..], out var r) ? r : -1))
            .OrderByDescending(d => d.Revision)
            .SelectMany(d => new[] { Path.Combine(d.Folder, "chrome-linux", "chrome"), Path.Combine(d.Folder, "chrome-linux64", "chrome") });
    }

    private static string? PlaywrightBrowsersFolder()
    {
        var configured = Environment.GetEnvironmentVariable("PLAYWRIGHT_BROWSERS_PATH");
        if (!string.IsNullOrWhiteSpace(configured) && configured != "0") return configured;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache", "ms-playwright");
    }
}
