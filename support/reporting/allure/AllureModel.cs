using System.Text.Json.Serialization;

namespace DigitalInsurance.Conformance.Support.Reporting;

// The allure-results file format (allure-js-commons model.ts, read by Allure 2 and Allure 3): one
// {uuid}-result.json per test, {uuid}-container.json for fixtures, {uuid}-attachment.{ext} for attachments.

internal static class AllureStatus
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Broken = "broken";
    public const string Skipped = "skipped";
}

internal sealed record AllureLabel(string Name, string Value);

internal sealed record AllureLink(string Url, string? Name = null, string? Type = null);

internal sealed record AllureParameter(
    string Name,
    string Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Excluded = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Mode = null);

internal sealed record AllureAttachment(string Name, string Source, string Type);

/// <param name="Expected">What the rule requires and <paramref name="Actual"/> what the server did, where the rule has
/// both: Allure shows them side by side.</param>
internal sealed record AllureStatusDetails(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Trace,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Expected = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Actual = null);

/// <summary>What a step and a fixture (hook) share: allure-results writes both with the same fields.</summary>
internal abstract class AllureExecutable
{
    public required string Name { get; set; }
    public string Status { get; set; } = AllureStatus.Passed;
    public AllureStatusDetails StatusDetails { get; set; } = new(null, null);
    public string Stage { get; set; } = "finished";
    public long Start { get; set; }
    public long Stop { get; set; }
    public List<AllureStep> Steps { get; } = [];
    public List<AllureAttachment> Attachments { get; } = [];
    public List<AllureParameter> Parameters { get; } = [];
}

internal sealed class AllureStep : AllureExecutable;

internal sealed class AllureFixture : AllureExecutable;

internal sealed class AllureTestResult
{
    public required string Uuid { get; init; }
    public required string Name { get; set; }
    public required string FullName { get; set; }
    public required string TestCaseId { get; set; }
    public required string HistoryId { get; set; }
    public List<string> TitlePath { get; set; } = [];
    public string Status { get; set; } = AllureStatus.Passed;
    public AllureStatusDetails StatusDetails { get; set; } = new(null, null);
    public string Stage { get; set; } = "finished";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Description { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DescriptionHtml { get; set; }
    public long Start { get; set; }
    public long Stop { get; set; }
    public List<AllureLabel> Labels { get; } = [];
    public List<AllureLink> Links { get; } = [];
    public List<AllureParameter> Parameters { get; } = [];
    public List<AllureStep> Steps { get; } = [];
    public List<AllureAttachment> Attachments { get; } = [];
}

internal sealed class AllureContainer
{
    public required string Uuid { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Name { get; set; }
    public List<string> Children { get; } = [];
    public List<AllureFixture> Befores { get; } = [];
    public List<AllureFixture> Afters { get; } = [];
    public long Start { get; set; }
    public long Stop { get; set; }
}

internal sealed record AllureCategory(
    string Name,
    IReadOnlyList<string> MatchedStatuses,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MessageRegex = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceRegex = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description = null);

internal sealed record AllureExecutor(
    string Name,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? BuildOrder = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BuildName = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BuildUrl = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReportName = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReportUrl = null);
