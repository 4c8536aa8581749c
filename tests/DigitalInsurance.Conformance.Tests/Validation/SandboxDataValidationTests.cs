using System.Text.Json.Nodes;
using DemoHealthPlan.Sandbox.Hosting;
using DigitalInsurance.Conformance.Support.Validation;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

/// <summary>
/// The sandbox's FHIR data set must meet the profiles a payer is tested against (C4DIC 1.0.0, US Core 4.0.0), or the
/// harness's own reference run would report the sandbox as non-conformant.
/// </summary>
public class SandboxDataValidationTests
{
    private ConformanceValidator _validator = null!;
    private List<(string File, JsonObject Resource)> _resources = null!;

    [OneTimeSetUp]
    public async System.Threading.Tasks.Task LoadDataSet()
    {
        _validator = await ValidationTestEnvironment.SharedValidator("1.0.0");
        var dataFolder = Path.Combine(Path.GetDirectoryName(typeof(SandboxServer).Assembly.Location)!, "data");
        Assert.That(dataFolder, Does.Exist, "the sandbox's data folder is copied to the test output");
        _resources = Directory.GetFiles(dataFolder, "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(file => ResourcesIn(file).Select(r => (Path.GetRelativePath(dataFolder, file), r)))
            .ToList();
    }

    /// <summary>A file holds one resource or a Bundle whose entries are the resources the sandbox serves.</summary>
    private static IEnumerable<JsonObject> ResourcesIn(string file)
    {
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        if ((string?)json["resourceType"] != "Bundle")
            return [json];
        return json["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject());
    }

    [Test]
    public void The_data_set_has_members_with_coverage_and_payers()
    {
        var types = _resources.GroupBy(r => (string?)r.Resource["resourceType"]).ToDictionary(g => g.Key ?? "", g => g.Count());

        Assert.Multiple(() =>
        {
            Assert.That(types.GetValueOrDefault("Patient"), Is.GreaterThanOrEqualTo(3));
            Assert.That(types.GetValueOrDefault("Coverage"), Is.GreaterThanOrEqualTo(3));
            Assert.That(types.GetValueOrDefault("Organization"), Is.GreaterThanOrEqualTo(1));
        });
    }

    [Test]
    public void Every_resource_meets_c4dic_1_0_0_and_us_core_4_0_0_without_errors()
    {
        var reports = _resources.Select(r => (r.File, Report: _validator.Validate(r.Resource.ToJsonString()))).ToList();
        foreach (var (file, report) in reports)
            TestContext.Out.WriteLine($"{file}: {report.Summary}{(report.Issues.Count > 0 ? Environment.NewLine + report.ToText() : "")}");

        var failing = reports.Where(r => r.Report.HasErrors).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(reports, Is.Not.Empty);
            Assert.That(failing, Is.Empty, string.Join(Environment.NewLine, failing.Select(f => $"{f.File}: {f.Report.Summary}{Environment.NewLine}{f.Report.ToText()}")));
            Assert.That(reports.Where(r => r.Report.ResourceType is "Patient" or "Organization").Select(r => r.Report.ProfilesChecked),
                Has.All.Some.StartsWith("http://hl7.org/fhir/us/core/StructureDefinition/us-core-"), "US Core is checked too");
        });
    }
}
