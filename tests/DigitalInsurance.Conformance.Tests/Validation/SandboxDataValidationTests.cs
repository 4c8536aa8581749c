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

    /// <summary>The resources C4DIC profiles (Patient, Coverage, Organization): a member's RelatedPerson has no C4DIC profile.</summary>
    private IEnumerable<(string File, JsonObject Resource)> C4dicProfiled =>
        _resources.Where(r => (string?)r.Resource["resourceType"] is "Patient" or "Coverage" or "Organization");

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
    public void Every_resource_meets_c4dic_1_0_0_and_us_core_4_0_0_without_errors_or_warnings()
    {
        var reports = _resources.Select(r => (r.File, Report: _validator.Validate(r.Resource.ToJsonString()))).ToList();
        foreach (var (file, report) in reports)
            TestContext.Out.WriteLine($"{file}: {report.Summary}{(report.Issues.Count > 0 ? Environment.NewLine + report.ToText() : "")}");

        var failing = reports.Where(r => r.Report.ErrorCount + r.Report.WarningCount > 0).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(reports, Is.Not.Empty);
            Assert.That(failing, Is.Empty, string.Join(Environment.NewLine, failing.Select(f => $"{f.File}: {f.Report.Summary}{Environment.NewLine}{f.Report.ToText()}")));
        });
    }

    [Test]
    public void Every_resource_is_checked_against_the_c4dic_profile_of_its_type_and_us_core_for_patient_and_organization()
    {
        Assert.Multiple(() =>
        {
            foreach (var (file, resource) in C4dicProfiled)
            {
                var report = _validator.Validate(resource.ToJsonString());
                Assert.That(report.ProfilesChecked.Select(WithoutVersion), Is.SupersetOf(ProfilesOf(report.ResourceType)), $"{file}: {report.Summary}");
            }
        });
    }

    /// <summary>
    /// Listing a profile is not checking it: a copy of each resource without meta.lastUpdated (required by C4DIC only,
    /// not by base FHIR or US Core) must fail against the C4DIC profile of its type.
    /// </summary>
    [Test]
    public void The_c4dic_profile_is_enforced_on_every_resource()
    {
        Assert.Multiple(() =>
        {
            foreach (var (file, resource) in C4dicProfiled)
            {
                var withoutLastUpdated = resource.DeepClone().AsObject();
                withoutLastUpdated["meta"]!.AsObject().Remove("lastUpdated");
                var type = (string)resource["resourceType"]!;
                Assert.That(ErrorsAgainst(_validator.Validate(withoutLastUpdated.ToJsonString()), C4dic(type)), Is.Not.Empty,
                    $"{file}: {type}/{resource["id"]} without meta.lastUpdated");
            }
        });
    }

    /// <summary>
    /// The same for US Core, with an element base FHIR leaves optional: Patient.identifier is required by US Core Patient
    /// and not by C4DIC Patient (built on base Patient), so the finding must name US Core Patient. Organization.name is
    /// required by US Core Organization; C4DIC Organization is built on it, and Firely checks the declared US Core
    /// profile through the C4DIC one that derives from it, naming only C4DIC Organization.
    /// </summary>
    [TestCase("Patient", "identifier", "us-core-patient")]
    [TestCase("Organization", "name", "C4DIC-Organization")]
    public void A_rule_only_us_core_makes_is_enforced_on_every_resource_of_the_type(string type, string requiredByUsCore, string reportedAgainst)
    {
        var profile = ProfilesOf(type).Single(p => p.EndsWith("/" + reportedAgainst, StringComparison.Ordinal));
        var ofType = _resources.Where(r => (string?)r.Resource["resourceType"] == type).ToList();
        Assert.That(ofType, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (file, resource) in ofType)
            {
                var spoiled = resource.DeepClone().AsObject();
                Assert.That(spoiled.Remove(requiredByUsCore), $"{file}: {type}/{resource["id"]} has {requiredByUsCore}");
                Assert.That(ErrorsAgainst(_validator.Validate(spoiled.ToJsonString()), profile), Is.Not.Empty,
                    $"{file}: {type}/{resource["id"]} without {requiredByUsCore}");
            }
        });
    }

    private static string C4dic(string type) => $"http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-{type}";

    private static string UsCore(string type) => $"http://hl7.org/fhir/us/core/StructureDefinition/us-core-{type.ToLowerInvariant()}";

    /// <summary>What the sandbox claims in sandbox/data/README.md: C4DIC 1.0.0 for every type, US Core 4.0.0 Patient and Organization.</summary>
    private static string[] ProfilesOf(string type) => type is "Patient" or "Organization" ? [C4dic(type), UsCore(type)] : [C4dic(type)];

    private static string WithoutVersion(string canonical) => canonical.Split('|')[0];

    private static List<string> ErrorsAgainst(ValidationReport report, string profile) =>
        report.Issues
            .Where(i => i.Severity == IssueSeverity.Error && (i.Profile ?? "").Split(", ").Select(WithoutVersion).Contains(profile))
            .Select(i => i.ToString())
            .ToList();
}
