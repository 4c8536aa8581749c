using DigitalInsurance.Conformance.Support.Configuration;
using Microsoft.Playwright;

namespace DigitalInsurance.Conformance.Support.Browser;

/// <summary>
/// The run's one Playwright driver and one Chromium (run-scoped): starting them costs about a second, so scenarios
/// share them and each gets its own context (<see cref="MemberBrowserSession"/>).
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
    public string BrowserVersion => $"Chromium {Browser.Version}";

    public bool Headless => Settings.Headless;

    public static async Task<BrowserHost> StartAsync(BrowserSettings settings, CancellationToken cancellationToken = default)
    {
        var executable = ChromiumLocator.Find(settings.ExecutablePath);
        IPlaywright playwright;
        try
        {
            playwright = await Playwright.CreateAsync().WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new BrowserFlowException($"The Playwright driver did not start ({FirstLine(e.Message)}): rebuild so the .playwright folder is in the output.", e);
        }

        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = settings.Headless,
                Args = QuietFlags,
                Timeout = 60_000,
            }).WaitAsync(cancellationToken);
            return new BrowserHost(playwright, browser, executable, settings);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            playwright.Dispose();
            var hint = settings.Headless ? "" : " (headed mode needs a display: set DISPLAY or run headless)";
            throw new BrowserFlowException($"Chromium at {executable} did not start{hint}: {FirstLine(e.Message)}", e);
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
}

/// <summary>Finds a Chromium to drive: the configured one, else Playwright's own download, else the system's.</summary>
internal static class ChromiumLocator
{
    internal static readonly IReadOnlyList<string> SystemCandidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public static string Find(string? configuredPath) =>
        Find(configuredPath, PlaywrightBrowsersFolder(), File.Exists);

    internal static string Find(string? configuredPath, string? playwrightBrowsersFolder, Func<string, bool> fileExists)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            return fileExists(configuredPath)
                ? configuredPath
                : throw new BrowserFlowException($"browserExecutablePath '{configuredPath}' does not exist: fix it or unset it to use an installed Chromium.");
        }

        foreach (var candidate in PlaywrightManaged(playwrightBrowsersFolder).Concat(SystemCandidates))
            if (fileExists(candidate)) return candidate;

        throw new BrowserFlowException("No Chromium found: install it with `apt-get install -y chromium` or set browserExecutablePath / DIC_BROWSER_EXECUTABLE_PATH.");
    }

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
