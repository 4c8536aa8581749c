using System.Runtime.CompilerServices;
using System.Text.Json;
using DigitalInsurance.Conformance.Support.Redaction;
using Reqnroll;
using Reqnroll.Events;
using Reqnroll.Plugins;

namespace DigitalInsurance.Conformance.Support.Reporting;

/// <summary>
/// Connects the Allure results writer and redaction to Reqnroll. The harness's runtime plugin calls
/// <see cref="Attach"/> from its Initialize; if it does not, <see cref="AllureReportingHooks"/> attaches at the first
/// feature of each test thread (missing only that feature's before-feature hooks).
/// </summary>
public static class AllureReporting
{
    private static readonly ConditionalWeakTable<ITestThreadExecutionEventPublisher, object> Attached = new();
    private static readonly TestRunFixtures RunFixtures = new();
    private static int _exitHookInstalled;

    /// <summary>
    /// From the runtime plugin's Initialize: records every test thread's events as allure-results, redacts Reqnroll's
    /// trace output and step output, wraps the console in redaction, and redacts Reqnroll's html/message formatter
    /// files when the process exits (call <see cref="RedactReqnrollReports"/> earlier if you can).
    /// </summary>
    public static void Attach(RuntimePluginEvents runtimePluginEvents)
    {
        ReqnrollRedaction.Attach(runtimePluginEvents);
        runtimePluginEvents.CustomizeTestThreadDependencies += (_, args) =>
            AttachTo(args.ObjectContainer.Resolve<ITestThreadExecutionEventPublisher>());
        InstallExitHook();
    }

    /// <summary>Adds the Allure listener to one test thread's event publisher, once.</summary>
    internal static bool AttachTo(ITestThreadExecutionEventPublisher publisher)
    {
        lock (Attached)
        {
            if (Attached.TryGetValue(publisher, out _)) return false;
            var listener = new AllureExecutionListener(() => AllureRun.Writer, RunFixtures);
            publisher.AddListener(listener);
            Attached.Add(publisher, listener);
            return true;
        }
    }

    /// <summary>
    /// Redacts the files Reqnroll's formatters wrote (reqnroll.json "formatters" → outputFilePath, relative to the test
    /// output folder). Safe to call more than once; call it after Reqnroll's test run has ended and its formatters closed.
    /// </summary>
    public static IReadOnlyList<string> RedactReqnrollReports()
    {
        try
        {
            return Secrets.RedactFilesInPlace(ReqnrollReportFiles());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            Console.Error.WriteLine($"Could not redact Reqnroll's report files: {e.Message}");
            return [];
        }
    }

    /// <summary>
    /// Writes a skipped result for a scenario that never reaches Reqnroll (e.g. an @ignore scenario NUnit does not run),
    /// so the report still lists it. <paramref name="stepNames"/> ("Given …") fill its description.
    /// </summary>
    public static void WriteSkipped(FeatureInfo feature, ScenarioInfo scenario, RuleInfo? rule, string reason, IReadOnlyList<string>? stepNames = null) =>
        AllureExecutionListener.WriteNotRun(AllureRun.Writer, feature, scenario, rule, AllureStatus.Skipped, reason, stepNames ?? []);

    /// <summary>
    /// A scenario the run could not start (a wrong setting, an unreachable target): broken, with the reason as its
    /// message, so the report lists every scenario and why none ran.
    /// </summary>
    public static void WriteNotRun(FeatureInfo feature, ScenarioInfo scenario, RuleInfo? rule, string reason, IReadOnlyList<string>? stepNames = null) =>
        AllureExecutionListener.WriteNotRun(AllureRun.Writer, feature, scenario, rule, AllureStatus.Broken, reason, stepNames ?? []);

    internal static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref _exitHookInstalled, 1) == 1) return;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RedactReqnrollReports();
    }

    internal static IEnumerable<string> ReqnrollReportFiles()
    {
        var outputFolder = Path.GetDirectoryName(typeof(AllureReporting).Assembly.Location) ?? AppContext.BaseDirectory;
        var configured = new List<string>();
        var config = Path.Combine(outputFolder, "reqnroll.json");
        if (File.Exists(config))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(config),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.TryGetProperty("formatters", out var formatters) && formatters.ValueKind == JsonValueKind.Object)
                foreach (var formatter in formatters.EnumerateObject())
                    if (formatter.Value.ValueKind == JsonValueKind.Object
                        && formatter.Value.TryGetProperty("outputFilePath", out var path) && path.GetString() is { Length: > 0 } file)
                        configured.Add(file);
        }
        if (configured.Count == 0) configured.AddRange(["reqnroll_report.html", "reqnroll_report.ndjson"]);
        // Reqnroll resolves relative paths against the working directory, which the test host sets to the output folder.
        return configured
            .SelectMany(f => Path.IsPathRooted(f) ? [f] : new[] { Path.Combine(outputFolder, f), Path.Combine(Environment.CurrentDirectory, f) })
            .Select(Path.GetFullPath)
            .Distinct();
    }
}

/// <summary>Attaches Allure reporting when the runtime plugin did not (see <see cref="AllureReporting.Attach"/>).</summary>
[Binding]
public sealed class AllureReportingHooks
{
    [BeforeFeature(Order = int.MinValue)]
    public static void AttachAllureReporting(ITestThreadExecutionEventPublisher publisher)
    {
        Secrets.InstallConsoleRedaction();
        AllureReporting.InstallExitHook();
        AllureReporting.AttachTo(publisher);
    }
}
