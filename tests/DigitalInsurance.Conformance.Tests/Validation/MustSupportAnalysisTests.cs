using System.Text.Json.Nodes;
using DigitalInsurance.Conformance.Support.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

/// <summary>Must Support analysis (issue #5) on the IG's own examples and stripped copies of them.</summary>
public class MustSupportAnalysisTests
{
    private const string C4dic = "http://hl7.org/fhir/us/insurance-card/StructureDefinition/";

    private ConformanceValidator _validator = null!;

    [OneTimeSetUp]
    public async System.Threading.Tasks.Task LoadValidator() => _validator = await ValidationTestEnvironment.SharedValidator("1.0.0");

    private JsonObject Example(string name) => JsonNode.Parse(ValidationTestEnvironment.Example(_validator, name))!.AsObject();

    private static MustSupportElement Element(MustSupportReport report, string elementId) =>
        report.Elements.SingleOrDefault(e => e.ElementId == elementId) ?? throw new AssertionException($"{elementId} is not a Must Support element:{Environment.NewLine}{report.ToText()}");

    [Test]
    public void Lists_every_must_support_element_and_slice_of_the_profile()
    {
        var report = _validator.AnalyzeMustSupport(C4dic + "C4DIC-Coverage", [ValidationTestEnvironment.Example(_validator, "Coverage-Example-Coverage-FSH")]);

        Assert.Multiple(() =>
        {
            Assert.That(report.Profile, Is.EqualTo(C4dic + "C4DIC-Coverage"));
            Assert.That(report.ResourceCount, Is.EqualTo(1));
            Assert.That(report.Elements.Select(e => e.ElementId), Does.Contain("Coverage.identifier:memberid")
                .And.Contain("Coverage.class:group").And.Contain("Coverage.class:rxiin").And.Contain("Coverage.beneficiary")
                .And.Contain("Coverage.costToBeneficiary.value[x].extension:C4DIC-BeneficiaryCostString-extension"));
            Assert.That(Element(report, "Coverage.class:group").SliceName, Is.EqualTo("group"));
            Assert.That(report.Elements.Select(e => e.ElementId), Does.Not.Contain("Coverage.meta.profile"), "not Must Support");
        });
    }

    [Test]
    public void Slices_are_matched_by_their_discriminators()
    {
        var report = _validator.AnalyzeMustSupport(C4dic + "C4DIC-Coverage", [ValidationTestEnvironment.Example(_validator, "Coverage-Example-Coverage-FSH")]);

        Assert.Multiple(() =>
        {
            Assert.That(Element(report, "Coverage.identifier:memberid").Populated, Is.True, "identifier with type MB");
            Assert.That(Element(report, "Coverage.identifier:memberid.assigner").Populated, Is.True);
            Assert.That(Element(report, "Coverage.class:group").Populated, Is.True, "class with type group");
            Assert.That(Element(report, "Coverage.class:rxpcn").Populated, Is.True);
            Assert.That(Element(report, "Coverage.class:rxgroup").Populated, Is.False, "the example has no rxgroup class");
            Assert.That(Element(report, "Coverage.class:rxid").Populated, Is.False);
            Assert.That(Element(report, "Coverage.costToBeneficiary.value[x].extension:C4DIC-BeneficiaryCostString-extension").Populated, Is.True);
        });
    }

    [Test]
    public void A_stripped_copy_shows_what_is_missing_and_children_of_a_missing_parent_say_why()
    {
        var coverage = Example("Coverage-Example-Coverage-FSH");
        coverage["identifier"]![0]!["type"]!["coding"]![0]!["code"] = "SN";
        coverage["class"] = new JsonArray(coverage["class"]!.AsArray().Where(c => (string?)c!["type"]!["coding"]![0]!["code"] != "group").Select(c => c!.DeepClone()).ToArray());
        coverage.Remove("period");
        foreach (var cost in coverage["costToBeneficiary"]!.AsArray())
            cost!["valueMoney"]!.AsObject().Remove("extension");

        var report = _validator.AnalyzeMustSupport(C4dic + "C4DIC-Coverage", [coverage.ToJsonString()]);

        Assert.Multiple(() =>
        {
            Assert.That(Element(report, "Coverage.identifier:memberid").Populated, Is.False, "no identifier of type MB left");
            Assert.That(Element(report, "Coverage.identifier:memberid.assigner").Note, Is.EqualTo("parent Coverage.identifier:memberid is not populated"));
            Assert.That(Element(report, "Coverage.identifier").Populated, Is.True, "the identifier itself is still there");
            Assert.That(Element(report, "Coverage.class:group").Populated, Is.False);
            Assert.That(Element(report, "Coverage.class:plan").Populated, Is.True);
            Assert.That(Element(report, "Coverage.period").Populated, Is.False);
            Assert.That(Element(report, "Coverage.period").Note, Is.Null, "its parent, the resource, is there");
            Assert.That(Element(report, "Coverage.costToBeneficiary.value[x].extension:C4DIC-BeneficiaryCostString-extension").Populated, Is.False);
            Assert.That(report.NotPopulated.Select(e => e.ElementId), Does.Contain("Coverage.class:group"));
        });
    }

    /// <summary>C4DIC's invariant ValueMoney-details-or-extension: value and currency, or the BeneficiaryCostString extension, never both.</summary>
    [Test]
    public void Either_side_of_the_cost_exclusive_choice_demonstrates_the_other()
    {
        var asExtension = Example("Coverage-Example-Coverage-FSH");
        foreach (var cost in asExtension["costToBeneficiary"]!.AsArray())
            cost!["valueMoney"] = new JsonObject { ["extension"] = new JsonArray(new JsonObject { ["url"] = C4dic + "C4DIC-BeneficiaryCostString-extension", ["valueString"] = "$20" }) };
        var asMoney = Example("Coverage-Example-Coverage-FSH");
        foreach (var cost in asMoney["costToBeneficiary"]!.AsArray())
            cost!["valueMoney"] = new JsonObject { ["value"] = 20, ["currency"] = "USD" };
        var withoutCost = Example("Coverage-Example-Coverage-FSH");
        withoutCost.Remove("costToBeneficiary");

        var extensionOnly = _validator.AnalyzeMustSupport(C4dic + "C4DIC-Coverage", [asExtension.ToJsonString()]);
        var moneyOnly = _validator.AnalyzeMustSupport(C4dic + "C4DIC-Coverage", [asMoney.ToJsonString()]);
        var neither = _validator.AnalyzeMustSupport(C4dic + "C4DIC-Coverage", [withoutCost.ToJsonString()]);

        const string value = "Coverage.costToBeneficiary.value[x].value";
        const string extension = "Coverage.costToBeneficiary.value[x].extension:C4DIC-BeneficiaryCostString-extension";
        Assert.Multiple(() =>
        {
            Assert.That(Element(extensionOnly, value).Populated, Is.False);
            Assert.That(Element(extensionOnly, value).DemonstratedBy, Does.StartWith(extension).And.Contain("ValueMoney-details-or-extension"));
            Assert.That(extensionOnly.NotPopulated.Select(e => e.ElementId), Does.Not.Contain(value).And.Not.Contain("Coverage.costToBeneficiary.value[x].currency"));
            Assert.That(extensionOnly.ToText(), Does.Contain($"demonstrated  {value} (0 of 1) — demonstrated by {extension}"));
            Assert.That(Element(moneyOnly, extension).DemonstratedBy, Does.StartWith("Coverage.costToBeneficiary.value[x].value and Coverage.costToBeneficiary.value[x].currency"));
            Assert.That(moneyOnly.NotPopulated.Select(e => e.ElementId), Does.Not.Contain(extension));
            Assert.That(neither.NotPopulated.Select(e => e.ElementId), Does.Contain(value).And.Contain(extension), "no side populated demonstrates neither");
        });
    }

    [Test]
    public void Counts_the_resources_populating_each_element_and_ignores_other_types()
    {
        var withAddress = ValidationTestEnvironment.Example(_validator, "Patient-Example-Patient1");
        var withoutAddress = Example("Patient-Example-Patient1");
        withoutAddress.Remove("address");
        var organization = ValidationTestEnvironment.Example(_validator, "Organization-Example-PayerOrganization1");

        var report = _validator.AnalyzeMustSupport("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient",
            [withAddress, withoutAddress.ToJsonString(), organization]);

        Assert.Multiple(() =>
        {
            Assert.That(report.ResourceCount, Is.EqualTo(2));
            Assert.That(Element(report, "Patient.address").PopulatedIn, Is.EqualTo(1));
            Assert.That(Element(report, "Patient.name").PopulatedIn, Is.EqualTo(2));
        });
    }

    [Test]
    public void A_missing_optional_parent_makes_its_must_support_children_not_populated()
    {
        var patient = Example("Patient-Example-Patient1");
        patient.Remove("address");

        var report = _validator.AnalyzeMustSupport("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient", [patient.ToJsonString()]);

        Assert.Multiple(() =>
        {
            Assert.That(Element(report, "Patient.address").Populated, Is.False);
            Assert.That(Element(report, "Patient.address.city").Populated, Is.False);
            Assert.That(Element(report, "Patient.address.city").Note, Is.EqualTo("parent Patient.address is not populated"));
        });
    }

    [Test]
    public void Identifier_slices_with_a_pattern_on_the_slice_itself_are_matched()
    {
        var organization = ValidationTestEnvironment.Example(_validator, "Organization-Example-PayerOrganization1");

        var report = _validator.AnalyzeMustSupport(C4dic + "C4DIC-Organization", [organization]);

        Assert.Multiple(() =>
        {
            Assert.That(Element(report, "Organization.identifier:payerid").Populated, Is.True, "identifier.type payerid");
            Assert.That(Element(report, "Organization.identifier:NPI").Populated, Is.False, "no identifier with the NPI system");
        });
    }

    [Test]
    public void Parsed_resources_can_be_analysed_directly()
    {
        var parser = new FhirJsonDeserializer(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable));
        var coverage = parser.DeserializeResource(ValidationTestEnvironment.Example(_validator, "Coverage-Example-Coverage-FSH"));

        var fromResource = _validator.AnalyzeMustSupport(C4dic + "C4DIC-Coverage", new List<Resource> { coverage });
        var fromJson = _validator.AnalyzeMustSupport(C4dic + "C4DIC-Coverage", [ValidationTestEnvironment.Example(_validator, "Coverage-Example-Coverage-FSH")]);

        Assert.That(fromResource.ToText(), Is.EqualTo(fromJson.ToText()));
    }

    [Test]
    public void Text_and_html_list_every_element()
    {
        var report = _validator.AnalyzeMustSupport(C4dic + "C4DIC-Patient", [ValidationTestEnvironment.Example(_validator, "Patient-Example-Patient1")]);

        Assert.Multiple(() =>
        {
            Assert.That(report.ToText().Split(Environment.NewLine), Has.Length.EqualTo(report.Elements.Count));
            Assert.That(report.ToHtmlTable().Split("<tr>").Length - 1, Is.EqualTo(report.Elements.Count + 1));
            Assert.That(report.Summary, Does.StartWith("C4DIC-Patient: "));
        });
    }

    [Test]
    public void An_unknown_profile_is_an_error_naming_it()
    {
        var error = Assert.Throws<ValidationSetupException>(() => _validator.AnalyzeMustSupport("http://example.org/StructureDefinition/none", Array.Empty<string>()))!;

        Assert.That(error.Message, Does.Contain("http://example.org/StructureDefinition/none"));
    }
}
