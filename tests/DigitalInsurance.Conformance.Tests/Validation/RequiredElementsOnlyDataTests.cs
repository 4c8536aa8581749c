using System.Text.Json.Nodes;
using DemoHealthPlan.Sandbox.Hosting;
using DigitalInsurance.Conformance.Support.Validation;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

/// <summary>
/// The data set sandbox/data-required-elements-only (issue #13: "a sandbox data folder whose resources fill only
/// required elements"): every resource meets its C4DIC 1.0.0 profile, and fills nothing but that profile's required
/// elements plus the few the enrollment form matches the member by (its README says why each is kept).
/// </summary>
public class RequiredElementsOnlyDataTests
{
    public const string FolderName = "data-required-elements-only";

    /// <summary>Elements kept beyond the C4DIC-required ones, each for the sandbox's enrollment match (see the folder's README).</summary>
    private static readonly HashSet<string> KeptForEnrollment = new(StringComparer.Ordinal)
    {
        "Patient.name.given", "Patient.birthDate", "Patient.address", "Patient.address.postalCode",
    };

    private ConformanceValidator _validator = null!;
    private List<(string File, JsonObject Resource)> _resources = null!;

    [OneTimeSetUp]
    public async System.Threading.Tasks.Task LoadDataSet()
    {
        _validator = await ValidationTestEnvironment.SharedValidator("1.0.0");
        var folder = Path.Combine(Path.GetDirectoryName(typeof(SandboxServer).Assembly.Location)!, FolderName);
        Assert.That(folder, Does.Exist, "the data set is copied to the output beside the sandbox's data folder");
        _resources = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal)
            .Select(file => (Path.GetFileName(file), JsonNode.Parse(File.ReadAllText(file))!.AsObject()))
            .ToList();
    }

    [Test]
    public void It_holds_one_member_with_one_coverage_and_its_payer()
    {
        Assert.That(_resources.Select(r => (string?)r.Resource["resourceType"]), Is.EquivalentTo(new[] { "Organization", "Patient", "Coverage" }));
    }

    [Test]
    public void Every_resource_meets_its_c4dic_1_0_0_profile()
    {
        Assert.Multiple(() =>
        {
            foreach (var (file, resource) in _resources)
            {
                var report = _validator.Validate(resource.ToJsonString());
                var profile = $"http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-{resource["resourceType"]}";
                Assert.That(report.ProfilesChecked.Select(p => p.Split('|')[0]), Does.Contain(profile), $"{file}: {report.Summary}");
                // US Core Patient (identifier, gender 1..1) is judged on its own, as a warning: C4DIC-Patient is built on base Patient.
                var errors = report.Issues.Where(i => i.Severity == IssueSeverity.Error && !JudgedSeparately(i.Profile)).ToList();
                Assert.That(errors, Is.Empty, $"{file}: {report.Summary}{Environment.NewLine}{report.ToText()}");
            }
        });
    }

    /// <summary>
    /// Issue #13: "An element present with a wrong value still fails, through validation": the same resources, each with
    /// one element it fills given a value its C4DIC profile forbids, fail against that profile naming the element.
    /// </summary>
    [TestCase("Coverage", "status", "\"current\"", "status")]
    [TestCase("Coverage", "relationship", "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/subscriber-relationship\",\"code\":\"husband\"}]}", "relationship")]
    [TestCase("Patient", "birthDate", "\"01/01/1986\"", "birthDate")]
    [TestCase("Organization", "active", "\"yes\"", "active")]
    public void A_present_element_with_a_wrong_value_still_fails_validation(string type, string element, string wrongValue, string named)
    {
        var (file, resource) = _resources.Single(r => (string?)r.Resource["resourceType"] == type);
        var spoiled = resource.DeepClone().AsObject();
        Assert.That(spoiled.ContainsKey(element), $"{file} fills {element}");
        spoiled[element] = JsonNode.Parse(wrongValue);

        var report = _validator.Validate(spoiled.ToJsonString());

        var errors = report.Issues.Where(i => i.Severity == IssueSeverity.Error && !JudgedSeparately(i.Profile)).Select(i => i.ToString()).ToList();
        Assert.That(errors, Has.Some.Contains(named), $"{file} with {element} = {wrongValue}:{Environment.NewLine}{report.ToText()}");
    }

    private bool JudgedSeparately(string? profiles) =>
        profiles is not null && profiles.Split(", ").All(p => _validator.SeparatelyJudgedProfiles.Contains(p.Split('|')[0]));

    /// <summary>Each element path the resource fills is required (min ≥ 1 in the C4DIC profile's snapshot) or kept for enrollment.</summary>
    [Test]
    public void Every_element_filled_is_required_by_the_c4dic_profile_or_kept_for_enrollment()
    {
        Assert.Multiple(() =>
        {
            foreach (var (file, resource) in _resources)
            {
                var type = (string)resource["resourceType"]!;
                var required = RequiredPaths(type);
                var extra = Paths(type, resource).Where(p => !required.Contains(p) && !KeptForEnrollment.Contains(p)).ToList();
                Assert.That(extra, Is.Empty, $"{file} fills elements its C4DIC profile does not require");
            }
        });
    }

    /// <summary>Paths (without slice names) the C4DIC profile requires: min ≥ 1 on the element and every ancestor, plus the system/code a required coding needs.</summary>
    private HashSet<string> RequiredPaths(string type)
    {
        var profile = _validator.ProfileWithSnapshot($"http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-{type}");
        var mandatory = profile.Snapshot!.Element.Where(e => e.Min >= 1 || !e.Path!.Contains('.')).ToList();
        var byId = mandatory.Select(e => e.ElementId).ToHashSet(StringComparer.Ordinal);
        var paths = mandatory.Where(e => Parent(e.ElementId!) is null || byId.Contains(Parent(e.ElementId!)!))
            .Select(e => e.Path!.Replace("[x]", ""))
            .ToHashSet(StringComparer.Ordinal);
        // A required CodeableConcept or Reference is filled with its coding's system and code, or its reference.
        foreach (var path in paths.ToList())
        {
            paths.UnionWith([$"{path}.coding", $"{path}.coding.system", $"{path}.coding.code", $"{path}.reference"]);
        }
        return paths;
    }

    private static string? Parent(string elementId) => elementId.LastIndexOf('.') is var dot and > 0 ? elementId[..dot] : null;

    private static IEnumerable<string> Paths(string path, JsonNode? node) => node switch
    {
        JsonObject o => o.Where(p => p.Key != "resourceType" && p.Key != "id")
            .SelectMany(p => new[] { $"{path}.{p.Key}" }.Concat(Paths($"{path}.{p.Key}", p.Value))),
        JsonArray a => a.SelectMany(item => Paths(path, item)),
        _ => [],
    };
}
