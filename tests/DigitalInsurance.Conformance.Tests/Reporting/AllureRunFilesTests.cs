using System.Text.Json.Nodes;
using DigitalInsurance.Conformance.Support.Reporting;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Reporting;

public class AllureRunFilesTests
{
    private static AllureRunInfo SandboxRun => new()
    {
        Target = "sandbox",
        AuthBaseUrl = new Uri("http://127.0.0.1:5100/"),
        FhirBaseUrl = new Uri("http://127.0.0.1:5100/r4/"),
        IgPackages = ["hl7.fhir.us.carin-digital-insurance-card#1.0.0", "hl7.fhir.us.core#4.0.0"],
        HarnessVersion = "1.2.3",
        BrowserVersion = "Chromium 156.0.8078.1",
    };

    [Test]
    public void Environment_properties_list_target_urls_packages_and_versions()
    {
        using var folder = new AllureResultsFolder(SandboxRun);
        folder.Writer.WriteRunFiles(new Dictionary<string, string> { ["browser.version"] = "Chromium 157" });

        var lines = folder.ReadFile("environment.properties").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Does.Contain("target=sandbox")
            .And.Contain("auth.baseUrl=http://127.0.0.1:5100/")
            .And.Contain("fhir.baseUrl=http://127.0.0.1:5100/r4/")
            .And.Contain("ig.packages=hl7.fhir.us.carin-digital-insurance-card#1.0.0, hl7.fhir.us.core#4.0.0")
            .And.Contain("harness.version=1.2.3")
            .And.Contain("browser.version=Chromium 157"), "an entry learnt later replaces the configured one");
        Assert.That(lines, Has.Some.StartsWith("os=").And.Some.StartsWith("dotnet="));
    }

    [Test]
    public void Categories_sort_non_conformance_infrastructure_connectivity_and_warnings()
    {
        using var folder = new AllureResultsFolder();
        folder.Writer.WriteRunFiles();

        var categories = JsonNode.Parse(folder.ReadFile("categories.json"))!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.That(categories.Select(c => (c.Str("name"), c["matchedStatuses"]!.AsArray().Single()!.GetValue<string>())), Is.EqualTo(new[]
        {
            ("Server non-conformance", "failed"),
            ("Connectivity or timeout", "broken"),
            ("Harness or infrastructure error", "broken"),
            ("Passed with validation warnings", "passed"),
        }));
        Assert.That(categories.Select(c => c.Str("messageRegex")), Is.All.Not.Empty);
    }

    [Test]
    public void No_executor_file_outside_ci()
    {
        using var folder = new AllureResultsFolder(environment: new Dictionary<string, string>());
        folder.Writer.WriteRunFiles();
        Assert.That(File.Exists(Path.Combine(folder.Directory, "executor.json")), Is.False);
    }

    [Test]
    public void GitHub_actions_executor_links_the_workflow_run()
    {
        var executor = ExecutorFor(new()
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_REPOSITORY"] = "payer/dic-conformance",
            ["GITHUB_RUN_ID"] = "987654", ["GITHUB_RUN_NUMBER"] = "42", ["GITHUB_WORKFLOW"] = "conformance",
        });
        Assert.Multiple(() =>
        {
            Assert.That(executor.Str("name"), Is.EqualTo("GitHub Actions"));
            Assert.That(executor.Str("type"), Is.EqualTo("github"));
            Assert.That(executor.Str("url"), Is.EqualTo("https://github.com/payer/dic-conformance"));
            Assert.That(executor["buildOrder"]!.GetValue<long>(), Is.EqualTo(42));
            Assert.That(executor.Str("buildName"), Is.EqualTo("conformance #42"));
            Assert.That(executor.Str("buildUrl"), Is.EqualTo("https://github.com/payer/dic-conformance/actions/runs/987654"));
        });
    }

    [Test]
    public void Azure_pipelines_executor_links_the_build()
    {
        var executor = ExecutorFor(new()
        {
            ["TF_BUILD"] = "True", ["SYSTEM_COLLECTIONURI"] = "https://dev.azure.com/payer/", ["SYSTEM_TEAMPROJECT"] = "Interop",
            ["BUILD_BUILDID"] = "311", ["BUILD_BUILDNUMBER"] = "20261128.3", ["BUILD_DEFINITIONNAME"] = "dic-conformance",
        });
        Assert.Multiple(() =>
        {
            Assert.That(executor.Str("name"), Is.EqualTo("Azure Pipelines"));
            Assert.That(executor["buildOrder"]!.GetValue<long>(), Is.EqualTo(311));
            Assert.That(executor.Str("buildName"), Is.EqualTo("dic-conformance #20261128.3"));
            Assert.That(executor.Str("buildUrl"), Is.EqualTo("https://dev.azure.com/payer/Interop/_build/results?buildId=311"));
        });
    }

    [Test]
    public void GitLab_executor_links_the_job_and_plain_ci_is_named_ci()
    {
        var gitlab = ExecutorFor(new()
        {
            ["GITLAB_CI"] = "true", ["CI"] = "true", ["CI_PROJECT_URL"] = "https://gitlab.example/payer/dic", ["CI_PIPELINE_IID"] = "17",
            ["CI_JOB_NAME"] = "conformance", ["CI_JOB_URL"] = "https://gitlab.example/payer/dic/-/jobs/555",
        });
        var plain = ExecutorFor(new() { ["CI"] = "true" });
        Assert.Multiple(() =>
        {
            Assert.That(gitlab.Str("name"), Is.EqualTo("GitLab CI"));
            Assert.That(gitlab.Str("buildUrl"), Is.EqualTo("https://gitlab.example/payer/dic/-/jobs/555"));
            Assert.That(gitlab.Str("buildName"), Is.EqualTo("conformance #17"));
            Assert.That(plain.Str("name"), Is.EqualTo("CI"));
            Assert.That(plain.Str("type"), Is.EqualTo("ci"));
        });
    }

    [Test]
    public void Preparing_a_folder_removes_earlier_allure_files_only_and_keeping_them_is_an_option()
    {
        using var folder = new AllureResultsFolder();
        var old = new[] { "a-result.json", "b-container.json", "c-attachment.txt", "executor.json" };
        foreach (var name in old) File.WriteAllText(Path.Combine(folder.Directory, name), "{}");
        File.WriteAllText(Path.Combine(folder.Directory, "notes.md"), "not ours");

        new AllureResultsWriter(folder.Directory, new AllureRunInfo()).Prepare(keepPreviousResults: true);
        Assert.That(old.All(n => File.Exists(Path.Combine(folder.Directory, n))), "kept when asked to");

        new AllureResultsWriter(folder.Directory, new AllureRunInfo()).Prepare(keepPreviousResults: false);
        Assert.That(Directory.EnumerateFiles(folder.Directory).Select(Path.GetFileName), Is.EqualTo(new[] { "notes.md" }));
    }

    [Test]
    public void A_relative_results_path_is_under_the_test_output_folder_and_an_absolute_one_is_kept()
    {
        var outputFolder = Path.GetDirectoryName(typeof(AllureRun).Assembly.Location)!;
        Assert.That(AllureRun.ResolveResultsDirectory("allure-results"), Is.EqualTo(Path.Combine(outputFolder, "allure-results")));
        Assert.That(AllureRun.ResolveResultsDirectory(""), Is.EqualTo(Path.Combine(outputFolder, "allure-results")));
        var absolute = Path.Combine(Path.GetTempPath(), "ci-results");
        Assert.That(AllureRun.ResolveResultsDirectory(absolute), Is.EqualTo(absolute));
    }

    private static JsonObject ExecutorFor(Dictionary<string, string> environment)
    {
        using var folder = new AllureResultsFolder(environment: environment);
        folder.Writer.WriteRunFiles();
        return JsonNode.Parse(folder.ReadFile("executor.json"))!.AsObject();
    }
}
