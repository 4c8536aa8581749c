using System.Text.Json.Nodes;
using DigitalInsurance.Conformance.Support.Reporting;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Reporting;

/// <summary>A temporary allure-results folder with a writer and listener on it, and readers for what they wrote.</summary>
internal sealed class AllureResultsFolder : IDisposable
{
    public AllureResultsFolder(AllureRunInfo? run = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "allure-tests-" + Guid.NewGuid().ToString("N"));
        Writer = new AllureResultsWriter(Directory, run ?? new AllureRunInfo { Target = "sandbox" },
            name => environment?.GetValueOrDefault(name));
        Writer.Prepare(keepPreviousResults: false);
        Listener = new AllureExecutionListener(() => Writer, new TestRunFixtures());
        Script = new ScenarioEventScript(Listener);
    }

    public string Directory { get; }
    public AllureResultsWriter Writer { get; }
    public AllureExecutionListener Listener { get; }
    public ScenarioEventScript Script { get; }

    public IReadOnlyList<JsonObject> Results() => ReadAll("*-result.json");
    public IReadOnlyList<JsonObject> Containers() => ReadAll("*-container.json");

    public JsonObject SingleResult()
    {
        var results = Results();
        Assert.That(results, Has.Count.EqualTo(1), "result files written");
        return results[0];
    }

    public string ReadFile(string name) => File.ReadAllText(Path.Combine(Directory, name));

    /// <summary>Every file's text, attachments included, to prove a secret is nowhere.</summary>
    public IEnumerable<(string Name, string Text)> AllFiles() =>
        System.IO.Directory.EnumerateFiles(Directory).Select(f => (Path.GetFileName(f), File.ReadAllText(f)));

    private IReadOnlyList<JsonObject> ReadAll(string pattern) =>
        System.IO.Directory.EnumerateFiles(Directory, pattern).Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList();

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

internal static class AllureJson
{
    public static string Str(this JsonNode? node, string property) => node?[property]?.GetValue<string>() ?? "";

    public static IReadOnlyList<JsonObject> Objects(this JsonNode? node, string property) =>
        node?[property]?.AsArray().Select(n => n!.AsObject()).ToList() ?? [];

    public static IReadOnlyList<string> LabelValues(this JsonObject result, string name) =>
        result.Objects("labels").Where(l => l.Str("name") == name).Select(l => l.Str("value")).ToList();

    public static JsonObject Parameter(this JsonObject result, string name) =>
        result.Objects("parameters").Single(p => p.Str("name") == name);
}
