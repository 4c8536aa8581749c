using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using DigitalInsurance.Conformance.Support.Redaction;

namespace DigitalInsurance.Conformance.Support.Reporting;

/// <summary>
/// Writes allure-results files. Everything goes through <see cref="Secrets.Redact"/> on the way out — every JSON
/// string, every text attachment — including secrets registered after the evidence was recorded. Thread-safe: each
/// file has its own uuid, and the run-level files are written under a lock.
/// </summary>
internal sealed class AllureResultsWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Lock _gate = new();
    private readonly List<string> _resultUuids = [];
    private readonly Dictionary<string, int> _fullNames = new(StringComparer.Ordinal);
    private readonly Func<string, string?> _environmentVariables;

    public AllureResultsWriter(string directory, AllureRunInfo run, Func<string, string?>? environmentVariables = null)
    {
        Directory = directory;
        Run = run;
        _environmentVariables = environmentVariables ?? Environment.GetEnvironmentVariable;
        RunContainer = new AllureContainer { Uuid = Guid.NewGuid().ToString(), Name = "Test run hooks" };
    }

    public string Directory { get; }
    public AllureRunInfo Run { get; set; }

    /// <summary>Before/after test run hooks; written with every result as a child when the run ends.</summary>
    public AllureContainer RunContainer { get; }

    public IReadOnlyList<string> ResultUuids
    {
        get { lock (_gate) return _resultUuids.ToList(); }
    }

    /// <summary>Creates the folder and, unless told to keep them, removes earlier allure files from it (nothing else).</summary>
    public void Prepare(bool keepPreviousResults)
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (keepPreviousResults) return;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith("-result.json", StringComparison.Ordinal) || name.EndsWith("-container.json", StringComparison.Ordinal)
                || name.Contains("-attachment", StringComparison.Ordinal)
                || name is "environment.properties" or "executor.json" or "categories.json")
                File.Delete(file);
        }
    }

    /// <summary>environment.properties, executor.json (on CI only) and categories.json.</summary>
    public void WriteRunFiles(IReadOnlyDictionary<string, string>? lateEnvironment = null)
    {
        lock (_gate)
        {
            System.IO.Directory.CreateDirectory(Directory);
            var entries = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in Run.EnvironmentEntries()) entries[key] = value;
            if (lateEnvironment is not null) foreach (var (key, value) in lateEnvironment) entries[key] = value;
            WriteText("environment.properties", JavaProperties.Format(entries.Select(e => new KeyValuePair<string, string>(e.Key, Secrets.Redact(e.Value)))));
            if (CiExecutor.Detect(_environmentVariables) is { } executor) WriteJson("executor.json", executor);
            WriteJson("categories.json", AllureCategories.All);
        }
    }

    public AllureAttachment WriteAttachment(EvidenceItem item)
    {
        var extension = NormalizeExtension(item.FileExtension, item.MediaType);
        var source = $"{Guid.NewGuid()}-attachment.{extension}";
        var path = Path.Combine(Directory, source);
        if (IsText(item.MediaType, extension))
            File.WriteAllText(path, Secrets.Redact(Encoding.UTF8.GetString(item.Content)), new UTF8Encoding(false));
        else
            File.WriteAllBytes(path, item.Content);
        return new AllureAttachment(Secrets.Redact(item.Title), source, item.MediaType);
    }

    public AllureAttachment WriteTextAttachment(string title, string text) =>
        WriteAttachment(new EvidenceItem(title, "text/plain", "txt", Encoding.UTF8.GetBytes(text), DateTimeOffset.UtcNow));

    /// <summary>
    /// Two scenarios with the same title (or outline rows with the same values) would share a test case id, and Allure
    /// would show one as a retry of the other; the second and later get " #n" in their full name instead.
    /// </summary>
    public void WriteResult(AllureTestResult result)
    {
        lock (_gate)
        {
            var occurrence = _fullNames.GetValueOrDefault(result.FullName) + 1;
            _fullNames[result.FullName] = occurrence;
            if (occurrence > 1)
            {
                result.FullName += $" #{occurrence}";
                result.TestCaseId = ScenarioIdentity.Md5(result.FullName);
                result.HistoryId = ScenarioIdentity.Md5(result.HistoryId + "#" + occurrence);
            }
            _resultUuids.Add(result.Uuid);
        }
        WriteJson($"{result.Uuid}-result.json", result);
        Progress.RunConsole.ScenarioFinished(new Progress.ScenarioOutcome(result.Status, result.Name, result.StatusDetails.Message));
    }

    public void WriteContainer(AllureContainer container) => WriteJson($"{container.Uuid}-container.json", container);

    /// <summary>Writes the test-run hooks' container (when there were any), parenting every result written so far.</summary>
    public void WriteRunContainer()
    {
        lock (_gate)
        {
            if (RunContainer.Befores.Count == 0 && RunContainer.Afters.Count == 0) return;
            RunContainer.Children.Clear();
            RunContainer.Children.AddRange(_resultUuids);
            WriteContainer(RunContainer);
        }
    }

    private void WriteJson<T>(string fileName, T value)
    {
        var node = JsonSerializer.SerializeToNode(value, Json);
        RedactStrings(node);
        WriteText(fileName, node?.ToJsonString(Json) ?? "null");
    }

    private void WriteText(string fileName, string text)
    {
        var path = Path.Combine(Directory, fileName);
        // A name of its own: two runs sharing a results folder (shards started side by side) write environment.properties at once.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    // Identifiers the writer generated itself: never secrets, and redacting a digit run inside one would break a link.
    private static readonly HashSet<string> GeneratedIdentifiers = ["uuid", "source", "children", "historyId", "testCaseId"];

    private static void RedactStrings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (GeneratedIdentifiers.Contains(key)) continue;
                    if (child is JsonValue value && value.TryGetValue<string>(out var text))
                        obj[key] = Secrets.Redact(text);
                    else
                        RedactStrings(child);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text))
                        array[i] = Secrets.Redact(text);
                    else
                        RedactStrings(array[i]);
                }
                break;
        }
    }

    private static readonly Dictionary<string, string> ExtensionByMediaType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text/plain"] = "txt", ["text/html"] = "html", ["application/json"] = "json", ["application/fhir+json"] = "json",
        ["image/png"] = "png", ["image/jpeg"] = "jpg", ["application/zip"] = "zip", ["text/csv"] = "csv",
        ["application/xml"] = "xml", ["video/webm"] = "webm",
    };

    private static string NormalizeExtension(string? extension, string mediaType)
    {
        var cleaned = new string((extension ?? "").Trim().TrimStart('.').ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        if (cleaned.Length > 0) return cleaned;
        return ExtensionByMediaType.TryGetValue(mediaType.Split(';')[0].Trim(), out var known) ? known : "bin";
    }

    private static bool IsText(string mediaType, string extension)
    {
        var type = mediaType.Split(';')[0].Trim().ToLowerInvariant();
        return type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("/json", StringComparison.Ordinal)
            || type.EndsWith("+json", StringComparison.Ordinal) || type.EndsWith("/xml", StringComparison.Ordinal)
            || type.EndsWith("+xml", StringComparison.Ordinal) || type is "application/x-ndjson" or "application/javascript"
            || extension is "txt" or "json" or "html" or "htm" or "xml" or "csv" or "log" or "ndjson" or "md";
    }
}

/// <summary>Java .properties text, as Allure reads environment.properties.</summary>
internal static class JavaProperties
{
    public static string Format(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in entries)
            text.Append(Escape(key, isKey: true)).Append('=').Append(Escape(value, isKey: false)).Append('\n');
        return text.ToString();
    }

    private static string Escape(string text, bool isKey)
    {
        var escaped = new StringBuilder();
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': escaped.Append(@"\\"); break;
                case '\n': escaped.Append(@"\n"); break;
                case '\r': escaped.Append(@"\r"); break;
                case '\t': escaped.Append(@"\t"); break;
                case '=' or ':' or '#' or '!' when isKey: escaped.Append('\\').Append(c); break;
                case ' ' when isKey: escaped.Append(@"\ "); break;
                default: escaped.Append(c); break;
            }
        }
        return escaped.ToString();
    }
}
