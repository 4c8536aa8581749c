using System.Globalization;

namespace DigitalInsurance.Conformance.Support.Reporting;

/// <summary>executor.json: which CI build produced the results, read from the CI system's own environment variables.</summary>
internal static class CiExecutor
{
    /// <summary>Null when not running on CI (a developer's machine writes no executor.json).</summary>
    public static AllureExecutor? Detect(Func<string, string?> env)
    {
        string? Get(string name) => env(name) is { Length: > 0 } value ? value : null;
        long? Number(string name) => long.TryParse(Get(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

        if (IsTrue(Get("GITHUB_ACTIONS")))
        {
            var server = Get("GITHUB_SERVER_URL") ?? "https://github.com";
            var repository = Get("GITHUB_REPOSITORY");
            var repositoryUrl = repository is null ? null : $"{server}/{repository}";
            var runId = Get("GITHUB_RUN_ID");
            return new AllureExecutor(
                Name: "GitHub Actions",
                Type: "github",
                Url: repositoryUrl,
                BuildOrder: Number("GITHUB_RUN_NUMBER"),
                BuildName: Join(Get("GITHUB_WORKFLOW"), Get("GITHUB_RUN_NUMBER")),
                BuildUrl: repositoryUrl is null || runId is null ? null : $"{repositoryUrl}/actions/runs/{runId}");
        }
        if (IsTrue(Get("TF_BUILD")) || Get("BUILD_BUILDID") is not null && Get("SYSTEM_COLLECTIONURI") is not null)
        {
            var collection = Get("SYSTEM_COLLECTIONURI");
            var project = Get("SYSTEM_TEAMPROJECT");
            var projectUrl = collection is null || project is null ? null : $"{collection.TrimEnd('/')}/{Uri.EscapeDataString(project)}";
            var buildId = Get("BUILD_BUILDID");
            return new AllureExecutor(
                Name: "Azure Pipelines",
                Type: "azure",
                Url: projectUrl,
                BuildOrder: Number("BUILD_BUILDID"),
                BuildName: Join(Get("BUILD_DEFINITIONNAME"), Get("BUILD_BUILDNUMBER")),
                BuildUrl: projectUrl is null || buildId is null ? null : $"{projectUrl}/_build/results?buildId={buildId}");
        }
        if (IsTrue(Get("GITLAB_CI")))
        {
            return new AllureExecutor(
                Name: "GitLab CI",
                Type: "gitlab",
                Url: Get("CI_PROJECT_URL"),
                BuildOrder: Number("CI_PIPELINE_IID") ?? Number("CI_PIPELINE_ID"),
                BuildName: Join(Get("CI_JOB_NAME") ?? Get("CI_PROJECT_NAME"), Get("CI_PIPELINE_IID") ?? Get("CI_PIPELINE_ID")),
                BuildUrl: Get("CI_JOB_URL") ?? Get("CI_PIPELINE_URL"));
        }
        if (IsTrue(Get("CI")))
            return new AllureExecutor(Name: "CI", Type: "ci", BuildName: Get("BUILD_NUMBER") is { } number ? $"build #{number}" : null);
        return null;
    }

    private static bool IsTrue(string? value) =>
        value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    private static string? Join(string? name, string? number) =>
        (name, number) switch
        {
            (null, null) => null,
            (_, null) => name,
            (null, _) => $"#{number}",
            _ => $"{name} #{number}",
        };
}

/// <summary>
/// How failures are sorted in the report. Written to categories.json (Allure 2 reads it from the results; allurerc.mjs
/// hands the same file to Allure 3). Regexes use [\s\S] rather than flags: Allure 2 (Java) must match the whole
/// message, Allure 3 (JavaScript) any part, and both accept these.
/// </summary>
internal static class AllureCategories
{
    /// <summary>Status message of a passed scenario that has validation warnings starts with this.</summary>
    public const string WarningsMessagePrefix = "Validation warnings";

    public static readonly IReadOnlyList<AllureCategory> All =
    [
        new("Server non-conformance", [AllureStatus.Failed], MessageRegex: @"[\s\S]*",
            Description: "The server under test broke a rule of the C4DIC / US Core / SMART specifications."),
        new("Connectivity or timeout", [AllureStatus.Broken],
            MessageRegex: @"[\s\S]*(HttpRequestException|TimeoutException|TaskCanceledException|SocketException|FhirUnreachable|timed out|did not answer|[Cc]onnection (refused|reset|closed)|[Nn]ame or service not known|No such host|[Uu]nreachable)[\s\S]*",
            Description: "The harness could not reach a server (network, DNS, TLS, timeouts): nothing was judged."),
        new("Harness or infrastructure error", [AllureStatus.Broken], MessageRegex: @"[\s\S]*",
            Description: "The harness itself failed (configuration, browser, mailbox, undefined or pending steps): nothing was judged."),
        new("Passed with validation warnings", [AllureStatus.Passed], MessageRegex: WarningsMessagePrefix + @"[\s\S]*",
            Description: "Conformant, but the validator reported warnings worth reading."),
    ];
}
