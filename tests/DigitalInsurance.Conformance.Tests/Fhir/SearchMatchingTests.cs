using DigitalInsurance.Conformance.Support.Fhir;
using Hl7.Fhir.Model;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Fhir;

public class SearchMatchingTests
{
    private static Coverage Coverage(string id = "c1", string status = "active", string? start = "2026-01-01", string? end = "2026-12-31",
        string lastUpdated = "2026-01-06T08:00:00Z") => new()
    {
        Id = id,
        Meta = new Meta
        {
            LastUpdated = DateTimeOffset.Parse(lastUpdated, System.Globalization.CultureInfo.InvariantCulture),
            Profile = ["http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Coverage|1.0.0"],
        },
        Status = Hl7.Fhir.Utility.EnumUtility.ParseLiteral<FinancialResourceStatusCodes>(status),
        Identifier = [new Identifier("https://plan.example/member-id", "08-x,1")],
        Beneficiary = new ResourceReference("Patient/p1"),
        Subscriber = new ResourceReference("https://fhir.example/r4/Patient/p2/_history/3"),
        Period = start is null && end is null ? null : new Period { Start = start, End = end },
        Payor = [new ResourceReference("Organization/o1")],
    };

    private static bool Matches(Resource resource, string parameter, string value, string? modifier = null) =>
        SearchMatching.Matches(resource, FhirSearchParameter.For(resource.TypeName, parameter), value, modifier);

    [TestCase("c1", true)]
    [TestCase("c2", false)]
    [TestCase("c2,c1", true)]
    public void Id_is_a_token_on_the_resource_id(string value, bool expected) =>
        Assert.That(Matches(Coverage(), "_id", value), Is.EqualTo(expected));

    [TestCase("active", true)]
    [TestCase("cancelled", false)]
    [TestCase("http://hl7.org/fhir/fm-status|active", true)]
    [TestCase("http://other.example/cs|active", false)]
    [TestCase("|active", false)]
    [TestCase("cancelled,active", true)]
    public void Status_is_a_token_whose_code_belongs_to_the_bound_code_system(string value, bool expected) =>
        Assert.That(Matches(Coverage(), "status", value), Is.EqualTo(expected));

    [TestCase(@"https://plan.example/member-id|08-x\,1", true)]
    [TestCase(@"08-x\,1", true)]
    [TestCase("https://plan.example/member-id|", true)]
    [TestCase(@"https://other.example|08-x\,1", false)]
    [TestCase(@"|08-x\,1", false)]
    [TestCase("08-x", false)]
    public void Identifier_matches_system_and_value_with_escaped_commas(string value, bool expected) =>
        Assert.That(Matches(Coverage(), "identifier", value), Is.EqualTo(expected));

    [TestCase("beneficiary", "Patient/p1", true)]
    [TestCase("beneficiary", "p1", true)]
    [TestCase("beneficiary", "https://fhir.example/r4/Patient/p1", true)]
    [TestCase("beneficiary", "Patient/p2", false)]
    [TestCase("patient", "Patient/p1", true)]
    [TestCase("subscriber", "Patient/p2", true)]
    [TestCase("subscriber", "RelatedPerson/p2", false)]
    public void References_compare_type_and_id_whether_relative_absolute_or_versioned(string parameter, string value, bool expected) =>
        Assert.That(Matches(Coverage(), parameter, value), Is.EqualTo(expected));

    [Test]
    public void A_reference_type_modifier_narrows_a_bare_id() => Assert.Multiple(() =>
    {
        Assert.That(Matches(Coverage(), "beneficiary", "p1", "Patient"), Is.True);
        Assert.That(Matches(Coverage(), "beneficiary", "p1", "RelatedPerson"), Is.False);
    });

    [TestCase("http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Coverage", true)]
    [TestCase("http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Coverage|1.0.0", true)]
    [TestCase("http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Coverage|1.1.0", false)]
    [TestCase("http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC", false)]
    public void Profile_is_a_uri_matched_exactly_ignoring_a_canonical_version_the_search_does_not_give(string value, bool expected) =>
        Assert.That(Matches(Coverage(), "_profile", value), Is.EqualTo(expected));

    [Test]
    public void Uri_below_is_a_prefix() =>
        Assert.That(Matches(Coverage(), "_profile", "http://hl7.org/fhir/us/insurance-card/", "below"), Is.True);

    // Period 2026-01-01 .. 2026-12-31 is [2026-01-01T00:00Z, 2027-01-01T00:00Z).
    [TestCase("ge2026-01-01", true)]
    [TestCase("le2026-12-31", true)]
    [TestCase("le2026-01-01", false)] // the range below the day does not reach the period, which starts that day
    [TestCase("ge2026-12-31", false)] // mirror of le: the range above the day does not reach the period, which ends that day
    [TestCase("gt2026-12-31", false)]
    [TestCase("gt2026-06-01", true)]
    [TestCase("lt2026-01-01", false)]
    [TestCase("lt2026-01-02", true)]
    [TestCase("2026", true)] // eq: the year contains the period
    [TestCase("2026-06", false)] // eq: the month does not contain the whole period
    [TestCase("ne2026-06", true)]
    [TestCase("sa2025-12-31", true)]
    [TestCase("sa2026-01-01", false)]
    [TestCase("eb2027-01-01", true)]
    [TestCase("eb2026-12-31", false)]
    public void Period_follows_FHIR_date_prefix_semantics(string value, bool expected) =>
        Assert.That(Matches(Coverage(), "period", value), Is.EqualTo(expected));

    [Test]
    public void An_ongoing_period_is_after_any_date() => Assert.Multiple(() =>
    {
        var ongoing = Coverage(start: "2024-07-01", end: null);
        Assert.That(Matches(ongoing, "period", "gt2999-01-01"), Is.True);
        Assert.That(Matches(ongoing, "period", "le2024-06-30"), Is.False);
        Assert.That(Matches(ongoing, "period", "ge2024-07-01"), Is.True);
    });

    [Test]
    public void A_resource_without_the_element_never_matches() =>
        Assert.That(Matches(Coverage(start: null, end: null), "period", "ne2026"), Is.False);

    [TestCase("ge2026-01-06T08:00:00Z", true)]
    [TestCase("le2026-01-06T08:00:00Z", true)]
    [TestCase("2026-01-06T08:00:00Z", true)]
    [TestCase("2026-01-06T09:00:00+01:00", true)]
    [TestCase("gt2026-01-06T08:00:00Z", false)]
    [TestCase("ge2026-01-06T08:00:01Z", false)]
    [TestCase("le2026-01-06T07:59:59Z", false)]
    [TestCase("2026-01-06", true)]
    [TestCase("lt2026-01-07", true)]
    public void LastUpdated_is_an_instant_as_wide_as_its_precision(string value, bool expected) =>
        Assert.That(Matches(Coverage(), "_lastUpdated", value), Is.EqualTo(expected));

    [Test]
    public void An_instant_with_a_fraction_of_a_second_is_as_wide_as_its_digits() => Assert.Multiple(() =>
    {
        var coverage = Coverage(lastUpdated: "2026-01-06T08:00:00.250Z");
        Assert.That(Matches(coverage, "_lastUpdated", "2026-01-06T08:00:00Z"), Is.True, "the second contains it");
        Assert.That(Matches(coverage, "_lastUpdated", "ge2026-01-06T08:00:00.25Z"), Is.True);
        Assert.That(Matches(coverage, "_lastUpdated", "gt2026-01-06T08:00:00.25Z"), Is.False);
        Assert.That(Matches(coverage, "_lastUpdated", "lt2026-01-06T08:00:00.251Z"), Is.True);
    });

    [Test]
    public void Unsupported_prefixes_and_bad_dates_are_harness_errors_not_mismatches() => Assert.Multiple(() =>
    {
        Assert.Throws<NotSupportedException>(() => Matches(Coverage(), "period", "ap2026-01-01"));
        Assert.Throws<ArgumentException>(() => Matches(Coverage(), "period", "ge2026-13-01"));
    });

    private static Patient Patient() => new()
    {
        Id = "p1",
        Name = [new HumanName { Family = "Müller-Argonaut", Given = ["Jason", "Q."] }],
        Identifier = [new Identifier("https://plan.example/member-id", "08-testmemid")],
    };

    [TestCase("Müller", null, true)]
    [TestCase("muller", null, true)]
    [TestCase("MÜLLER-ARGO", null, true)]
    [TestCase("jas", null, true)]
    [TestCase("Argonaut", null, false)]
    [TestCase("Argonaut", "contains", true)]
    [TestCase("Müller-Argonaut", "exact", true)]
    [TestCase("muller-argonaut", "exact", false)]
    [TestCase("Smith,Jason", null, true)]
    public void Name_is_a_string_starting_with_the_value_ignoring_case_and_accents(string value, string? modifier, bool expected) =>
        Assert.That(Matches(Patient(), "name", value, modifier), Is.EqualTo(expected));

    [Test]
    public void Escape_protects_the_characters_search_values_use_as_separators() => Assert.Multiple(() =>
    {
        Assert.That(SearchMatching.Escape(@"a,b|c$d\e"), Is.EqualTo(@"a\,b\|c\$d\\e"));
        Assert.That(SearchMatching.Split(@"a\,b,c", ','), Is.EqualTo(new[] { @"a\,b", "c" }));
        Assert.That(SearchMatching.Unescape(@"a\,b\\c"), Is.EqualTo(@"a,b\c"));
    });

    [Test]
    public void Describe_renders_elements_for_failure_messages() => Assert.Multiple(() =>
    {
        var coverage = Coverage();
        Assert.That(SearchMatching.Describe(coverage.Identifier[0]), Is.EqualTo("https://plan.example/member-id|08-x,1"));
        Assert.That(SearchMatching.Describe(coverage.Period!), Is.EqualTo("2026-01-01 to 2026-12-31"));
        Assert.That(SearchMatching.Describe(coverage.Beneficiary), Is.EqualTo("Patient/p1"));
        Assert.That(SearchMatching.Describe(coverage.StatusElement), Is.EqualTo("active"));
    });
}
