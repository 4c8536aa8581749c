using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Reqnroll;
using Reqnroll.Formatters.RuntimeSupport;

namespace DigitalInsurance.Conformance.Support.Reporting;

/// <summary>
/// Who a scenario is, stably across runs and machines: full name (feature path + title + example row), test case id
/// and history id (hashes of it), title path, labels and parameters.
/// </summary>
internal sealed class ScenarioIdentity
{
    public const string Epic = "Digital Insurance Card conformance";
    private static readonly HashSet<string> Severities = ["blocker", "critical", "normal", "minor", "trivial"];

    public required string Name { get; init; }
    public required string FullName { get; init; }
    public required string TestCaseId { get; init; }
    public required string HistoryId { get; init; }
    public required List<string> TitlePath { get; init; }
    public required List<AllureLabel> Labels { get; init; }
    public required List<AllureParameter> Parameters { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> ExampleValues { get; init; }

    public static ScenarioIdentity Of(FeatureInfo feature, ScenarioInfo scenario, RuleInfo? rule, AllureRunInfo run, string thread)
    {
        var featurePath = FeaturePath(feature);
        var examples = ReadExampleValues(scenario.Arguments);
        var row = examples.Count == 0 ? "" : " [" + string.Join(", ", examples.Select(e => $"{e.Key}={e.Value}")) + "]";
        var fullName = $"{featurePath}: {scenario.Title}{row}";

        var parameters = examples.Select(e => new AllureParameter(e.Key, e.Value)).ToList();
        parameters.Add(new AllureParameter("target", run.Target));
        // A scenario's own value (an example column, the "member" of a per-member scenario) wins over the run's default.
        foreach (var p in run.Parameters.Where(p => examples.All(e => e.Key != p.Name)))
            parameters.Add(new AllureParameter(p.Name, p.Value, p.Excluded, p.Secret ? "masked" : null));

        var historyKey = fullName + "\n" + string.Join("\n", parameters.Where(p => !p.Excluded)
            .Select(p => $"{p.Name}={p.Value}").Order(StringComparer.Ordinal));

        var tags = (scenario.CombinedTags ?? scenario.Tags ?? []).Select(t => t.TrimStart('@')).Distinct(StringComparer.Ordinal).ToList();
        var severity = tags.Select(t => t.StartsWith("severity:", StringComparison.OrdinalIgnoreCase) ? t["severity:".Length..].ToLowerInvariant() : null)
            .LastOrDefault(s => s is not null && Severities.Contains(s)) ?? "normal";

        var labels = new List<AllureLabel>
        {
            new("epic", Epic),
            new("feature", feature.Title),
            new("story", rule?.Title is { Length: > 0 } ruleTitle ? ruleTitle : scenario.Title),
            new("parentSuite", run.Target),
            new("suite", feature.Title),
        };
        if (rule?.Title is { Length: > 0 } subSuite) labels.Add(new("subSuite", subSuite));
        labels.AddRange(tags.Where(t => !t.StartsWith("severity:", StringComparison.OrdinalIgnoreCase)).Select(t => new AllureLabel("tag", t)));
        labels.Add(new("severity", severity));
        labels.Add(new("host", Environment.MachineName));
        labels.Add(new("thread", thread));
        labels.Add(new("framework", "reqnroll"));
        labels.Add(new("language", "c#"));
        labels.Add(new("target", run.Target));

        var titlePath = featurePath.Split('/').SkipLast(1).Where(s => s.Length > 0).ToList();
        titlePath.Add(feature.Title);

        return new ScenarioIdentity
        {
            Name = WithExampleValues(scenario.Title, examples),
            FullName = fullName,
            TestCaseId = Md5(fullName),
            HistoryId = Md5(historyKey),
            TitlePath = titlePath,
            Labels = labels,
            Parameters = parameters,
            ExampleValues = examples,
        };
    }

    /// <summary>
    /// The feature file's path from the features folder on ("features/authorize/launch.feature"), whatever machine the
    /// run is on; when the runner gives only a folder, the feature title stands in for the file name.
    /// </summary>
    internal static string FeaturePath(FeatureInfo feature)
    {
        var path = (SourceUri(feature) ?? feature.FolderPath ?? "").Replace('\\', '/').TrimEnd('/');
        var fromFeatures = path.LastIndexOf("/features/", StringComparison.OrdinalIgnoreCase);
        if (fromFeatures >= 0) path = path[(fromFeatures + 1)..];
        else if (Path.IsPathRooted(path)) path = Path.GetFileName(path);
        path = path.TrimStart('/');
        if (!path.EndsWith(".feature", StringComparison.OrdinalIgnoreCase))
            path = path.Length == 0 ? feature.Title : $"{path}/{feature.Title}";
        return path;
    }

    // The feature's Cucumber messages carry the file's path; Reqnroll keeps the property internal, so it is read when
    // present and the folder path used otherwise.
    private static readonly PropertyInfo? FeatureMessages =
        typeof(FeatureInfo).GetProperty("FeatureCucumberMessages", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);

    private static string? SourceUri(FeatureInfo feature)
    {
        try
        {
            return FeatureMessages?.GetValue(feature) is IFeatureLevelCucumberMessages { HasMessages: true, Source.Uri: { Length: > 0 } uri } ? uri : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static List<KeyValuePair<string, string>> ReadExampleValues(IOrderedDictionary? arguments)
    {
        var values = new List<KeyValuePair<string, string>>();
        if (arguments is null) return values;
        foreach (DictionaryEntry entry in arguments)
            values.Add(new(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "",
                Convert.ToString(entry.Value, CultureInfo.InvariantCulture) ?? ""));
        return values;
    }

    /// <summary>An outline's title with its row's values ("The Coverage resources…"), as the pickle's steps have them.</summary>
    internal static string WithExampleValues(string title, IReadOnlyList<KeyValuePair<string, string>> examples) =>
        examples.Aggregate(title, (text, example) => text.Replace($"<{example.Key}>", example.Value, StringComparison.Ordinal));

    internal static string Md5(string text) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
}
