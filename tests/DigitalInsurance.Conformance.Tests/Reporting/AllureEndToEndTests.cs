using System.Text.Json.Nodes;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Reporting;

/// <summary>
/// A real run: a small sample project (features + bindings written below, compiled with the real support/runner,
/// reporting, redaction and http sources) run with `dotnet test`, so Reqnroll's own engine publishes the events the
/// Allure writer turns into results. Reporting is attached the way the harness attaches it (the runner's runtime plugin
/// calls AllureReporting.Attach through support/runner/HarnessWiring.cs; without it the fallback hook attaches).
/// Set ALLURE_SAMPLE_RESULTS to a folder to keep the results it wrote (ALLURE_RESULTS_DIR=that folder npm run report).
/// </summary>
[TestFixture, NonParallelizable, Category("EndToEnd")]
public sealed class AllureEndToEndTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(6);
    private readonly string _work = Path.Combine(Path.GetTempPath(), "allure-sample-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _secret = "sample-token-" + Guid.NewGuid().ToString("N");
    private string _output = "";
    private string _runLog = "";
    private List<JsonObject> _results = [];

    private const string Feature = """
        @query @severity:critical
        Feature: Patient access

          Scenario: The app reads the member's Patient
            Given the app holds an access token
            When the app reads Patient "123"
            Then the Patient conforms
            And the validator warns

          Scenario: Coverage must name its payer
            Given the app holds an access token
            Then the Coverage names its payer

          Scenario Outline: Members by postal code
            Given member "<member>" with postal code "<postal>"

            Examples:
              | member       | postal |
              | 08-testmemid | 02114  |
              | 09-testmemid | 02115  |

          Scenario: A step nobody wrote
            Given the app holds an access token
            When something nobody bound happens
        """;

    private const string Bindings = """"
        using System.Net;
        using System.Text;
        using DigitalInsurance.Conformance.Support.Rules;
        using DigitalInsurance.Conformance.Support.Http;
        using DigitalInsurance.Conformance.Support.Redaction;
        using DigitalInsurance.Conformance.Support.Reporting;
        using Reqnroll;

        namespace AllureSample;

        [Binding]
        public sealed class SampleSteps(ScenarioEvidence evidence)
        {
            private static readonly string Token = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "secret.txt")).Trim();

            [BeforeTestRun]
            public static void ConfigureTheRun()
            {
                AllureRun.Configure(new AllureRunInfo
                {
                    Target = "sample",
                    FhirBaseUrl = new Uri("http://payer.example/r4/"),
                    Parameters = [new RunParameter("member", "08-testmemid"), new RunParameter("run id", Guid.NewGuid().ToString(), Excluded: true)],
                });
            }

            [BeforeScenario]
            public void StartTheBrowser() => evidence.AddText("Browser", "text/plain", "txt", "Chromium (sample)");

            [Given("the app holds an access token")]
            public void HoldsAToken()
            {
                // As the harness does: a secret is registered the moment it is learnt.
                Secrets.Register(Token, "access token");
                Console.WriteLine($"the app holds {Token}");
            }

            [When("the app reads Patient {string}")]
            public async Task ReadsPatient(string id)
            {
                using var client = new HttpClient(new RecordingHttpHandler(evidence, new PatientServer()));
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://payer.example/r4/Patient/{id}");
                request.Headers.Authorization = new("Bearer", Token);
                using var response = await client.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException("the sample server failed");
            }

            [Then("the Patient conforms")]
            public void PatientConforms() { }

            [Then("the validator warns")]
            public void ValidatorWarns() => evidence.AddWarning("Patient.meta.profile: profile version not pinned");

            [Then("the Coverage names its payer")]
            public void CoverageNamesItsPayer() =>
                new Check(new CheckScope(evidence, [], RequirementPolicy.Default)).Fail(Requirements.C4dicCoveragePayor, "Coverage.payor must reference the payer.", $"request with {Token} got Coverage/1 without payor");

            [Given("member {string} with postal code {string}")]
            public void Member(string member, string postal) => Console.WriteLine($"member {member} {postal}");

            private sealed class PatientServer : HttpMessageHandler
            {
                protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                    Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
                    {
                        RequestMessage = request,
                        Content = new StringContent($$"""{"resourceType":"Patient","id":"123","note":"{{Token}}"}""", Encoding.UTF8, "application/fhir+json"),
                    });
            }
        }
        """";

    [OneTimeSetUp]
    public async Task BuildAndRunTheSampleAsync()
    {
        var repository = RepositoryRoot();
        var project = Path.Combine(_work, "AllureSample");
        Directory.CreateDirectory(Path.Combine(project, "features", "query"));
        await File.WriteAllTextAsync(Path.Combine(project, "features", "query", "patient.feature"), Feature);
        await File.WriteAllTextAsync(Path.Combine(project, "SampleSteps.cs"), Bindings);
        await File.WriteAllTextAsync(Path.Combine(project, "AllureSample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <LangVersion>latest</LangVersion>
                <IsTestProject>true</IsTestProject>
                <NoWarn>$(NoWarn);NU1603;CS0618</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
                <PackageReference Include="NUnit" Version="4.4.0" />
                <PackageReference Include="NUnit3TestAdapter" Version="6.3.1" />
                <PackageReference Include="Reqnroll" Version="3.3.4" />
              </ItemGroup>
              <ItemGroup>
                <Compile Include="{repository}/support/runner/**/*.cs" Exclude="{repository}/support/runner/HarnessWiring.Members.cs;{repository}/support/runner/HarnessWiring.Session.cs" LinkBase="support/runner" />
                <Compile Include="{repository}/support/reporting/**/*.cs" LinkBase="support/reporting" />
                <Compile Include="{repository}/support/redaction/**/*.cs" LinkBase="support/redaction" />
                <Compile Include="{repository}/support/http/**/*.cs" LinkBase="support/http" />
                <Compile Include="{repository}/support/rules/*.cs" LinkBase="support/rules" />
                <None Include="features/**/*.feature" CopyToOutputDirectory="PreserveNewest" />
                <None Include="{repository}/reqnroll.json" Link="reqnroll.json" CopyToOutputDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>
            """);

        var artifacts = Path.Combine(_work, "artifacts");
        var build = await RunDotnetAsync(project, "build", "AllureSample.csproj", "--artifacts-path", artifacts, "--disable-build-servers", "-nologo", "-v", "q");
        if (build.ExitCode != 0) Assert.Fail($"Building the Allure sample failed:\n{build.Output}");
        _output = Directory.GetDirectories(Path.Combine(artifacts, "bin", "AllureSample")).Single();
        await File.WriteAllTextAsync(Path.Combine(_output, "secret.txt"), _secret);

        var run = await RunDotnetAsync(_output, "test", Path.Combine(_output, "AllureSample.dll"), "--logger", $"trx;LogFileName={Path.Combine(_work, "run.trx")}");
        _runLog = run.Output;
        var resultsFolder = Path.Combine(_output, "allure-results");
        if (!Directory.Exists(resultsFolder)) Assert.Fail($"The sample run wrote no allure-results (exit code {run.ExitCode}):\n{run.Output}");
        _results = Directory.GetFiles(resultsFolder, "*-result.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList();

        if (Environment.GetEnvironmentVariable("ALLURE_SAMPLE_RESULTS") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            foreach (var file in Directory.GetFiles(resultsFolder)) File.Copy(file, Path.Combine(keep, Path.GetFileName(file)), overwrite: true);
        }
    }

    [OneTimeTearDown]
    public void RemoveTheSample()
    {
        try { Directory.Delete(_work, recursive: true); }
        catch (IOException) { }
    }

    private JsonObject Result(string name) =>
        _results.SingleOrDefault(r => r.Str("name") == name && !r.Objects("parameters").Any(p => p.Str("name") == "postal"))
        ?? throw new AssertionException($"No result named '{name}'. Written: {string.Join(", ", _results.Select(r => r.Str("name")))}\n{_runLog}");

    [Test]
    public void Every_pickle_is_one_result_with_the_status_the_run_earned()
    {
        Assert.That(_results.Select(r => (r.Str("name"), r.Str("status"))), Is.EquivalentTo(new[]
        {
            ("The app reads the member's Patient", "passed"),
            ("Coverage must name its payer", "failed"),
            ("Members by postal code", "passed"),
            ("Members by postal code", "passed"),
            ("A step nobody wrote", "broken"),
        }));
    }

    [Test]
    public void Steps_carry_reqnroll_keywords_and_the_evidence_recorded_during_them()
    {
        var patient = Result("The app reads the member's Patient");
        var steps = patient.Objects("steps");
        Assert.Multiple(() =>
        {
            Assert.That(steps.Select(s => s.Str("name")), Is.EqualTo(new[]
            {
                "Given the app holds an access token", "When the app reads Patient \"123\"", "Then the Patient conforms", "And the validator warns",
            }));
            Assert.That(steps[1].Objects("attachments").Select(a => a.Str("name")), Is.EqualTo(new[] { "GET /r4/Patient/123 → 200" }));
            Assert.That(patient["statusDetails"].Str("message"), Does.StartWith("Validation warnings (1): Patient.meta.profile"));
            Assert.That(patient.Str("fullName"), Does.EndWith("query/patient.feature: The app reads the member's Patient"));
            Assert.That(patient.LabelValues("severity"), Is.EqualTo(new[] { "critical" }));
            Assert.That(patient.LabelValues("tag"), Does.Contain("query"));
        });
    }

    [Test]
    public void The_run_configured_in_a_before_test_run_hook_labels_every_result_with_its_target()
    {
        Assert.That(_results.SelectMany(r => r.LabelValues("target")), Is.All.EqualTo("sample"),
            "AllureRun.Configure ran in [BeforeTestRun] (needs the runner to start Reqnroll's test run)");
        // The run's "member" labels every result; an outline row with a member column of its own keeps its value.
        Assert.That(_results.Where(r => r.Objects("parameters").Count(p => p.Str("name") == "member") != 1), Is.Empty, "one member parameter each");
        Assert.That(_results.Where(r => r.Str("name") != "Members by postal code").Select(r => r.Parameter("member").Str("value")), Is.All.EqualTo("08-testmemid"));
        Assert.That(_results.Where(r => r.Str("name") == "Members by postal code").Select(r => r.Parameter("member").Str("value")),
            Is.EquivalentTo(new[] { "08-testmemid", "09-testmemid" }));
    }

    [Test]
    public void Outline_rows_are_separate_results_with_their_example_values()
    {
        var rows = _results.Where(r => r.Str("name") == "Members by postal code").ToList();
        Assert.That(rows.Select(r => r.Parameter("postal").Str("value")), Is.EquivalentTo(new[] { "02114", "02115" }));
        Assert.That(rows.Select(r => r.Str("testCaseId")).Distinct().Count(), Is.EqualTo(2));
    }

    [Test]
    public void Failures_say_whether_the_server_or_the_harness_failed()
    {
        var failed = Result("Coverage must name its payer");
        var broken = Result("A step nobody wrote");
        Assert.Multiple(() =>
        {
            Assert.That(failed["statusDetails"].Str("message"), Does.StartWith("[c4dic-coverage-payor] Coverage.payor must reference the payer."));
            Assert.That(failed.Objects("steps").Select(s => s.Str("status")), Is.EqualTo(new[] { "passed", "failed" }));
            Assert.That(broken["statusDetails"].Str("message"), Does.StartWith("Undefined: no step definition matches"));
        });
    }

    [Test]
    public void Before_scenario_hooks_are_containers_of_their_results()
    {
        var containers = Directory.GetFiles(Path.Combine(_output, "allure-results"), "*-container.json")
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList();
        var children = containers.SelectMany(c => c["children"]!.AsArray().Select(n => n!.GetValue<string>())).ToList();
        Assert.That(children, Is.SupersetOf(_results.Select(r => r.Str("uuid"))));
        Assert.That(containers.SelectMany(c => c.Objects("befores")).Select(b => b.Str("name")), Has.Some.EqualTo("Before scenario: SampleSteps.StartTheBrowser"));
    }

    [Test]
    public void The_secret_is_in_no_allure_file_nor_in_the_trx()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(_output, "allure-results")).Append(Path.Combine(_work, "run.trx")))
            Assert.That(File.ReadAllText(file), Does.Not.Contain(_secret), Path.GetFileName(file));
        Assert.That(File.ReadAllText(Path.Combine(_work, "run.trx")), Does.Contain("the app holds [redacted access token]"),
            "console output is kept with the secret replaced");
    }

    [Test]
    public void Reqnroll_reports_are_redacted_after_the_run()
    {
        foreach (var name in new[] { "reqnroll_report.html", "reqnroll_report.ndjson" })
        {
            var text = File.ReadAllText(Path.Combine(_output, name));
            Assert.That(text, Does.Contain("Coverage must name its payer"), $"{name} was written (the test run ended)");
            Assert.That(text, Does.Not.Contain(_secret), name);
            Assert.That(text, Does.Contain("[redacted access token]"), $"{name} kept its text with the secret replaced");
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "DigitalInsurance.Conformance.csproj")))
                return folder.FullName;
        throw new InvalidOperationException("Repository root (DigitalInsurance.Conformance.csproj) not found above " + TestContext.CurrentContext.TestDirectory);
    }

    private static async Task<(int ExitCode, string Output)> RunDotnetAsync(string workingDirectory, params string[] arguments)
    {
        var end = await ChildProcess.RunAsync(ChildProcess.Dotnet, arguments, new ChildProcessOptions
        {
            WorkingDirectory = workingDirectory,
            CleanDotnetEnvironment = true,
            // The results must not depend on the CI system the own tests happen to run on.
            Environment = new[] { "CI", "GITHUB_ACTIONS", "TF_BUILD", "GITLAB_CI" }.ToDictionary(name => name, string? (_) => null),
            Timeout = CommandTimeout,
        });
        return (end.RequireEnded($"dotnet {string.Join(' ', arguments)}"), end.Output);
    }
}
