using NUnit.Framework;
using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir.Data;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

public class DataSetTests
{
    [Test]
    public void Shipped_data_set_loads_every_file_in_path_order()
    {
        var store = FhirTestData.LoadShipped();
        var keys = store.All().Select(r => $"{r.TypeName}/{r.Id}").ToList();
        Assert.That(keys, Is.EqualTo(new[]
        {
            "Organization/demo-health-plan", "Organization/demo-dental-partners", "Organization/great-lakes-vision-plan",
            "Patient/jason-argonaut", "Patient/jessica-argonaut",
            "Coverage/coverage-jason-medical", "Coverage/coverage-jason-medical-2025", "Coverage/coverage-jason-dental", "Coverage/coverage-jessica-medical",
            "Coverage/coverage-amy-medical", "Coverage/coverage-amy-vision", "Patient/amy-shaw",
            "Patient/kenji-tanaka", "Coverage/coverage-kenji-medical",
            "RelatedPerson/jennifer-argonaut",
        }));
    }

    [Test]
    public void Every_shipped_resource_claims_its_C4DIC_profile_and_has_lastUpdated()
    {
        foreach (var resource in FhirTestData.LoadShipped().All())
        {
            Assert.That(resource.Meta?.LastUpdated, Is.Not.Null, $"{resource.TypeName}/{resource.Id} meta.lastUpdated");
            // C4DIC profiles Patient, Coverage and Organization; a member's RelatedPerson has no C4DIC profile to claim.
            if (resource is RelatedPerson) continue;
            Assert.That(resource.Meta!.Profile, Does.Contain($"http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-{resource.TypeName}"),
                $"{resource.TypeName}/{resource.Id} meta.profile");
        }
    }

    [Test]
    public void Every_shipped_coverage_names_beneficiary_subscriber_payor_and_member_id()
    {
        foreach (var coverage in FhirTestData.LoadShipped().OfType("Coverage").Cast<Coverage>())
        {
            Assert.That(coverage.Beneficiary?.Reference, Does.StartWith("Patient/"), coverage.Id);
            Assert.That(coverage.Subscriber?.Reference, Does.StartWith("Patient/"), coverage.Id);
            Assert.That(coverage.SubscriberId, Is.Not.Empty, coverage.Id);
            Assert.That(coverage.Payor.Single().Reference, Does.StartWith("Organization/"), coverage.Id);
            Assert.That(coverage.Identifier.Count(i => i.Type?.Coding.Any(c => c.Code == "MB") == true), Is.EqualTo(1), coverage.Id);
        }
    }

    [Test]
    public void Shipped_data_has_a_dependent_whose_subscriber_is_another_member()
    {
        var coverage = (Coverage)FhirTestData.LoadShipped().Find("Coverage", "coverage-jessica-medical")!;
        Assert.That(coverage.Beneficiary!.Reference, Is.EqualTo("Patient/jessica-argonaut"));
        Assert.That(coverage.Subscriber!.Reference, Is.EqualTo("Patient/jason-argonaut"));
        Assert.That(coverage.Relationship!.Coding[0].Code, Is.EqualTo("child"));
    }

    [Test]
    public void Resource_files_bundles_and_subfolders_are_all_read()
    {
        using var folder = new TempDataFolder()
            .With("b/patient.json", Patient("p1"))
            .With("a.json", """{"resourceType":"Bundle","type":"collection","entry":[{"resource":""" + Organization("o1") + "}]}");
        var store = FhirDataLoader.Load(folder.Path);
        Assert.That(store.All().Select(r => r.Id), Is.EqualTo(new[] { "o1", "p1" }));
    }

    [Test]
    public void Transaction_entries_get_ids_from_their_request_and_urn_references_are_resolved()
    {
        using var folder = new TempDataFolder().With("tx.json", """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:11111111-1111-1111-1111-111111111111","resource":{"resourceType":"Patient","name":[{"family":"Doe"}]},
               "request":{"method":"PUT","url":"Patient/p-put"}},
              {"fullUrl":"urn:uuid:22222222-2222-2222-2222-222222222222","resource":{"resourceType":"Coverage","status":"active",
               "beneficiary":{"reference":"urn:uuid:11111111-1111-1111-1111-111111111111"},"payor":[{"reference":"Organization/o"}]},
               "request":{"method":"POST","url":"Coverage"}}]}
            """);
        var store = FhirDataLoader.Load(folder.Path);
        var coverage = (Coverage)store.OfType("Coverage").Single();
        Assert.That(store.Find("Patient", "p-put"), Is.Not.Null);
        Assert.That(coverage.Id, Is.EqualTo("tx-2"));
        Assert.That(coverage.Beneficiary.Reference, Is.EqualTo("Patient/p-put"));
    }

    [TestCase("{ not json", "is not valid FHIR R4 JSON")]
    [TestCase("""{"resourceType":"Banana","id":"b"}""", "holds a Banana")]
    [TestCase("""{"resourceType":"Patient","name":[{"family":"Doe"}]}""", "without an id")]
    [TestCase("""{"resourceType":"Practitioner","id":"dr"}""", "holds a Practitioner")]
    [TestCase("""{"resourceType":"Bundle","type":"document","entry":[{"resource":{"resourceType":"Patient","id":"p"}}]}""", "Bundle of type 'document'")]
    [TestCase("""{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"x"}]}""", "entry #1 without a resource")]
    public void A_bad_file_stops_startup_naming_the_file_and_the_problem(string content, string problem)
    {
        using var folder = new TempDataFolder().With("good.json", Patient("p0")).With("sub/bad-file.json", content);
        var error = Assert.Throws<SandboxConfigurationException>(() => FhirDataLoader.Load(folder.Path))!;
        Assert.That(error.Message, Does.Contain("sub/bad-file.json").And.Contain(problem));
    }

    /// <summary>Issue #13 item 4: a payer's captured data is served as it is, so the harness, not the sandbox, judges it.</summary>
    [Test]
    public void Resources_that_break_a_required_binding_or_a_datatype_are_served_as_they_are_with_one_warning_each()
    {
        using var folder = new TempDataFolder()
            .With("good.json", Patient("p0"))
            .With("gender.json", """{"resourceType":"Patient","id":"p-f","gender":"F"}""")
            .With("coverage.json", """{"resourceType":"Coverage","id":"c","status":"current","beneficiary":{"reference":"Patient/p-f"},"payor":[{"reference":"Patient/p-f"}]}""");

        var store = FhirDataLoader.Load(folder.Path);

        Assert.Multiple(() =>
        {
            Assert.That(FhirJson.Serialize(store.Find("Patient", "p-f")!), Does.Contain("\"gender\":\"F\""), "served with the code as written");
            Assert.That(FhirJson.Serialize(store.Find("Coverage", "c")!), Does.Contain("\"status\":\"current\""));
            Assert.That(store.LoadWarnings, Has.Count.EqualTo(2));
            Assert.That(store.LoadWarnings, Has.One.StartsWith("'gender.json': ").And.Some.StartsWith("'coverage.json': "));
            Assert.That(FhirDataLoading.WarningLine(store.LoadWarnings), Does.StartWith("Sandbox data: 2 file(s) served as they are").And.Not.Contain("\n"));
        });
    }

    [Test]
    public void A_clean_data_folder_has_no_load_warning() =>
        Assert.That(FhirTestData.LoadShipped().LoadWarnings, Is.Empty);

    [Test]
    public void The_same_resource_in_two_files_is_a_startup_error_naming_both()
    {
        using var folder = new TempDataFolder().With("one.json", Patient("twin")).With("two.json", Patient("twin"));
        var error = Assert.Throws<SandboxConfigurationException>(() => FhirDataLoader.Load(folder.Path))!;
        Assert.That(error.Message, Does.Contain("two.json").And.Contain("Patient/twin").And.Contain("one.json"));
    }

    [Test]
    public void An_empty_folder_is_a_startup_error()
    {
        using var folder = new TempDataFolder();
        var error = Assert.Throws<SandboxConfigurationException>(() => FhirDataLoader.Load(folder.Path))!;
        Assert.That(error.Message, Does.Contain("holds no *.json files"));
    }

    internal static string Patient(string id) => $$"""{"resourceType":"Patient","id":"{{id}}","name":[{"family":"Doe","given":["Pat"]}]}""";

    internal static string Organization(string id) => $$"""{"resourceType":"Organization","id":"{{id}}","name":"Org {{id}}"}""";
}
