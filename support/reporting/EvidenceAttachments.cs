using System.Text;
using NUnit.Framework;
using Reqnroll;

namespace DigitalInsurance.Conformance.Support.Reporting;

/// <summary>
/// Hands each scenario's evidence to the reports that are not Allure: every item becomes a file attached through
/// Reqnroll's output helper, which the NUnit bridge passes to TRX (result files) and Reqnroll's formatters embed in the
/// HTML report and the messages. Runs as the scenario's last hook, so evidence added while it ends (the trace) is
/// included. Allure already has the items, per step; it skips these copies (<see cref="IsCopy"/>).
/// </summary>
[Binding]
public sealed class EvidenceAttachments(ScenarioEvidence evidence, IReqnrollOutputHelper output, ScenarioContext scenario)
{
    private const string FolderName = "evidence";
    private const int RunsKept = 5;
    private static int _scenarioCount;
    private static readonly Lazy<string> RunFolder = new(CreateRunFolder, LazyThreadSafetyMode.ExecutionAndPublication);

    [AfterScenario(Order = int.MaxValue - 1000)]
    public void AttachEvidence()
    {
        var items = evidence.All;
        if (items.Count == 0) return;
        var folder = Directory.CreateDirectory(Path.Combine(RunFolder.Value, ScenarioFolderName())).FullName;
        for (var index = 0; index < items.Count; index++)
        {
            var item = items[index];
            var path = Path.Combine(folder, $"{index + 1:000}-{Slug(item.Title, 80)}.{item.FileExtension}");
            File.WriteAllBytes(path, item.Content);
            output.AddAttachment(path);
        }
    }

    /// <summary>True for the files this class writes: Allure reports the same items from the evidence itself.</summary>
    public static bool IsCopy(string filePath) =>
        RunFolder.IsValueCreated && Path.GetFullPath(filePath).StartsWith(RunFolder.Value + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private string ScenarioFolderName()
    {
        var info = scenario.ScenarioInfo;
        var arguments = info.Arguments.Count == 0 ? "" : "-" + string.Join("-", info.Arguments.Values.Cast<object?>().Select(v => v?.ToString()));
        // The sequence number keeps outline rows and members apart even when their titles and values read alike.
        return $"{Interlocked.Increment(ref _scenarioCount):0000}-{Slug(info.Title + arguments, 90)}";
    }

    private static string CreateRunFolder()
    {
        var root = Path.Combine(TestContext.CurrentContext.WorkDirectory, FolderName);
        Directory.CreateDirectory(root);
        // Runs (and shards running side by side) each get their own folder; only the newest few stay.
        foreach (var old in new DirectoryInfo(root).GetDirectories().OrderByDescending(d => d.CreationTimeUtc).Skip(RunsKept - 1))
        {
            try { old.Delete(recursive: true); }
            catch (IOException) { /* in use by a run still writing: left for the next run to remove */ }
            catch (UnauthorizedAccessException) { }
        }
        var run = Path.Combine(root, DateTime.UtcNow.ToString("yyyyMMdd-HHmmss") + "-" + Guid.NewGuid().ToString("N")[..6]);
        return Path.GetFullPath(Directory.CreateDirectory(run).FullName);
    }

    private static string Slug(string text, int maxLength)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var c in text)
            slug.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        var collapsed = System.Text.RegularExpressions.Regex.Replace(slug.ToString(), "_{2,}", "_").Trim('_', '.');
        return collapsed.Length <= maxLength ? collapsed : collapsed[..maxLength].TrimEnd('_', '.');
    }
}
