using System.Text.RegularExpressions;
using System.Xml.Linq;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Tests.Browser;
using NUnit.Framework;
using YamlDotNet.RepresentationModel;

namespace DigitalInsurance.Conformance.Tests.Configuration;

/// <summary>
/// The CI examples in docs/ci/ run as written on a fresh agent: the variables each test step sets, with the runsettings
/// file it names, are what the settings binder accepts for that target (so the required list is the binder's, not one
/// kept here), FHIR packages are cached keyed on the profile manifests, and the Allure history survives between runs.
/// </summary>
public class CiExamplesTests
{
    private static readonly string CiFolder = Path.Combine(RepositoryFiles.Root, "docs", "ci");

    public static IEnumerable<TestCaseData> TestSteps()
    {
        foreach (var step in new[] { "Preflight (every check, on every agent)", "Conformance (this shard)" })
        {
            yield return new TestCaseData("github-actions.yml", step).SetArgDisplayNames("github", step.Split(' ')[0]);
            yield return new TestCaseData("azure-pipelines.yml", step).SetArgDisplayNames("azure", step.Split(' ')[0]);
        }
    }

    [TestCaseSource(nameof(TestSteps))]
    public void The_variables_a_test_step_sets_are_what_its_target_needs(string file, string stepName)
    {
        var (runsettings, environment) = file.StartsWith("github") ? GitHubStep(stepName) : AzureStep(stepName);
        var parameters = RunsettingsParameters(runsettings);

        Assert.Multiple(() =>
        {
            Assert.DoesNotThrow(() => SettingsBinder.Bind(parameters, environment), $"{file}, step '{stepName}' with {runsettings}");
            Assert.Throws<SettingsException>(() => SettingsBinder.Bind(parameters, new Dictionary<string, string?>()),
                "without the step's variables the same runsettings must be refused, or this test proves nothing");
            Assert.That(environment.Keys, Has.None.EqualTo("DIC_FHIR_PACKAGES"), "no folder nothing creates: the harness restores the packages");
        });
    }

    [Test]
    public void GitHub_caches_the_packages_keyed_on_the_manifests_and_keeps_the_Allure_history()
    {
        var root = Load("github-actions.yml");
        var steps = Sequence(root, "jobs", "conformance", "steps").Concat(Sequence(root, "jobs", "report", "steps")).Cast<YamlMappingNode>().ToList();
        var caches = steps.Where(s => Text(s, "uses")?.StartsWith("actions/cache@") == true).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(caches.Select(c => Text(Map(c, "with"), "path")), Is.SupersetOf(new[] { "~/.fhir/packages", "allure-history" }));
            Assert.That(Text(Map(caches.Single(c => Text(Map(c, "with"), "path") == "~/.fhir/packages"), "with"), "key"), Does.Contain("hashFiles('profiles/*.json')"));
            Assert.That(ReportEnvironment(steps)["ALLURE_HISTORY_PATH"], Does.StartWith("allure-history/"));
        });
    }

    [Test]
    public void Azure_caches_the_packages_keyed_on_the_manifests_under_a_path_that_expands_and_keeps_the_Allure_history()
    {
        var root = Load("azure-pipelines.yml");
        var stages = ((YamlSequenceNode)root.Children[new YamlScalarNode("stages")]).Cast<YamlMappingNode>().ToList();
        var steps = stages.SelectMany(stage => Sequence(stage, "jobs").Cast<YamlMappingNode>()).SelectMany(job => Sequence(job, "steps")).Cast<YamlMappingNode>().ToList();
        var caches = steps.Where(s => Text(s, "task") == "Cache@2").Select(s => Map(s, "inputs")).ToList();
        var packageCache = caches.Single(c => Text(c, "key")!.StartsWith("fhir-packages"));
        var setsCacheVariable = steps.Any(s => Text(s, "script")?.Contains("task.setvariable variable=fhirPackageCache]$HOME/.fhir/packages") == true);

        Assert.Multiple(() =>
        {
            Assert.That(Text(packageCache, "key"), Does.Contain("profiles/*.json"));
            Assert.That(Text(packageCache, "path"), Does.Not.Contain("$(HOME)"), "$(HOME) is no pipeline variable and does not expand");
            Assert.That(Text(packageCache, "path") == "$(fhirPackageCache)" && setsCacheVariable, Is.True,
                "the path is a pipeline variable an earlier step sets to the folder the harness installs into");
            Assert.That(caches.Select(c => Text(c, "path")), Has.Some.EqualTo("$(Pipeline.Workspace)/allure-history"));
            Assert.That(ReportEnvironment(steps)["ALLURE_HISTORY_PATH"], Does.StartWith("$(Pipeline.Workspace)/allure-history/"));
        });
    }

    private static Dictionary<string, string> ReportEnvironment(IEnumerable<YamlMappingNode> steps) =>
        steps.Where(s => Text(s, "run")?.Contains("allure generate") == true || Text(s, "script")?.Contains("allure generate") == true)
            .Select(s => Map(s, "env")).Single()
            .Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);

    private static (string Runsettings, Dictionary<string, string?> Environment) GitHubStep(string stepName)
    {
        var root = Load("github-actions.yml");
        var job = Map(Map(root, "jobs"), "conformance");
        var step = Sequence(root, "jobs", "conformance", "steps").Cast<YamlMappingNode>().Single(s => Text(s, "name") == stepName);
        var variables = new[] { Map(root, "env"), Map(job, "env"), Map(step, "env") }
            .SelectMany(m => m.Children)
            .GroupBy(e => ((YamlScalarNode)e.Key).Value!)
            .ToDictionary(g => g.Key, g => ((YamlScalarNode)g.Last().Value).Value);
        return (variables["RUNSETTINGS"]!, DicVariables(variables));
    }

    private static (string Runsettings, Dictionary<string, string?> Environment) AzureStep(string stepName)
    {
        var root = Load("azure-pipelines.yml");
        var topLevel = ((YamlSequenceNode)root.Children[new YamlScalarNode("variables")]).Cast<YamlMappingNode>()
            .Where(v => Text(v, "name") is not null)
            .ToDictionary(v => Text(v, "name")!, v => Text(v, "value"));
        var job = Sequence((YamlMappingNode)Sequence(root, "stages")[0], "jobs").Cast<YamlMappingNode>().Single();
        var step = Sequence(job, "steps").Cast<YamlMappingNode>().Single(s => Text(s, "displayName") == stepName);
        // Pipeline variables reach scripts as environment variables (secrets only through the step's env mapping).
        var variables = Map(job, "variables").Children.Concat(Map(step, "env").Children)
            .GroupBy(e => ((YamlScalarNode)e.Key).Value!)
            .ToDictionary(g => g.Key, g => ((YamlScalarNode)g.Last().Value).Value);
        return (topLevel["runsettings"]!, DicVariables(variables));
    }

    /// <summary>
    /// The DIC_* variables as a fresh agent would see them: a value drawn from the CI's variables or secrets stands for
    /// one the user stored there, of the kind the setting takes.
    /// </summary>
    private static Dictionary<string, string?> DicVariables(Dictionary<string, string?> variables) =>
        variables.Where(v => v.Key.StartsWith("DIC_", StringComparison.Ordinal) && v.Value is not null)
            .ToDictionary(v => v.Key, v => StoredValue(v.Key, v.Value!));

    private static readonly Regex FromCiStore = new(@"^\$\{\{\s*(vars|secrets|matrix)\.\w+\s*\}\}$|^\$\((?!Pipeline\.|Agent\.|Build\.)\w+\)$");

    private static string? StoredValue(string name, string value)
    {
        if (!FromCiStore.IsMatch(value)) return value;
        if (value.Contains("matrix.") || name is "DIC_SHARD_INDEX") return "0";
        return name switch
        {
            _ when name.EndsWith("_URI", StringComparison.Ordinal) || name.EndsWith("_URL", StringComparison.Ordinal) => "https://qa-app.example/callback",
            _ when name.EndsWith("_EMAIL", StringComparison.Ordinal) => "qa-member+{run}@mail.example",
            _ => "stored-in-ci",
        };
    }

    private static Dictionary<string, string?> RunsettingsParameters(string runsettings) =>
        XDocument.Load(Path.Combine(RepositoryFiles.Root, runsettings))
            .Descendants("TestRunParameters").Elements("Parameter")
            .ToDictionary(p => (string)p.Attribute("name")!, p => (string?)p.Attribute("value"));

    private static YamlMappingNode Load(string file)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(CiFolder, file));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode map ? map : new YamlMappingNode();

    private static YamlSequenceNode Sequence(YamlMappingNode node, params string[] path)
    {
        for (var i = 0; i < path.Length - 1; i++) node = Map(node, path[i]);
        return (YamlSequenceNode)node.Children[new YamlScalarNode(path[^1])];
    }

    private static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode scalar ? scalar.Value : null;
}
