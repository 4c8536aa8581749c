using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Tests.Validation;
using Hl7.Fhir.Model;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Fhir;

public class C4dicSearchesTests
{
    /// <summary>A household like the sandbox's Jason Argonaut: four Coverages with differing values.</summary>
    internal static List<ReceivedResource> Household() =>
    [
        Held(HeldCoverage("medical", "active", "2026-01-01", "2026-12-31", "p-jason", "08-testmemid", "2026-01-06T08:00:00Z")),
        Held(HeldCoverage("medical-2025", "cancelled", "2025-01-01", "2025-12-31", "p-jason", "08-testmemid", "2025-12-31T23:00:00Z")),
        Held(HeldCoverage("dental", "active", "2024-07-01", null, "p-jason", "08-testmemid-d", "2026-02-10T12:30:00Z")),
        Held(HeldCoverage("jessica", "active", "2026-01-01", "2026-12-31", "p-jessica", "08-testmemid-02", "2026-01-06T08:05:00Z")),
    ];

    internal static Coverage HeldCoverage(string id, string status, string? start, string? end, string beneficiary, string memberId, string lastUpdated) => new()
    {
        Id = id,
        Meta = new Meta
        {
            LastUpdated = DateTimeOffset.Parse(lastUpdated, System.Globalization.CultureInfo.InvariantCulture),
            Profile = ["http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Coverage"],
        },
        Status = Hl7.Fhir.Utility.EnumUtility.ParseLiteral<FinancialResourceStatusCodes>(status),
        Identifier = [new Identifier("https://plan.example/member-id", memberId)],
        Beneficiary = new ResourceReference($"Patient/{beneficiary}"),
        Subscriber = new ResourceReference("Patient/p-jason"),
        Period = start is null && end is null ? null : new Period { Start = start, End = end },
        Payor = [new ResourceReference("Organization/plan")],
    };

    internal static ReceivedResource Held(Resource resource) => new(resource, "", new Uri("https://fhir.example/r4/" + resource.TypeName));

    private static SearchCriteria Derive(string type, string parameter, IReadOnlyList<ReceivedResource>? held = null) =>
        C4dicSearches.MostSelective(C4dicSearches.Find(type, parameter), held ?? Household())
        ?? throw new AssertionException($"No value derived for {type} {parameter}.");

    [TestCase("status", "status=cancelled", "Coverage/medical-2025", 1)]
    [TestCase("beneficiary", "beneficiary=Patient/p-jessica", "Coverage/jessica", 1)]
    [TestCase("patient", "patient=Patient/p-jessica", "Coverage/jessica", 1)]
    [TestCase("identifier", "identifier=https://plan.example/member-id|08-testmemid-d", "Coverage/dental", 1)]
    [TestCase("_id", "_id=medical", "Coverage/medical", 1)]
    [TestCase("_lastUpdated", "_lastUpdated=ge2026-01-06T08:00:00Z&_lastUpdated=le2026-01-06T08:00:00Z", "Coverage/medical", 1)]
    [TestCase("period", "period=ge2025-01-01&period=le2025-12-31", "Coverage/medical-2025", 2)]
    [TestCase("subscriber", "subscriber=Patient/p-jason", "Coverage/medical", 4)]
    [TestCase("_profile", "_profile=http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Coverage", "Coverage/medical", 4)]
    public void The_value_taken_is_the_one_matching_the_fewest_held_resources(string parameter, string described, string source, int heldMatches)
    {
        var criteria = Derive("Coverage", parameter);
        Assert.Multiple(() =>
        {
            Assert.That(criteria.Describe(), Is.EqualTo(described));
            Assert.That(criteria.Source.Reference, Is.EqualTo(source));
            Assert.That(criteria.HeldMatches, Has.Count.EqualTo(heldMatches));
            Assert.That(criteria.HeldOfType, Is.EqualTo(4));
        });
    }

    [Test]
    public void The_query_percent_encodes_values_and_repeats_the_parameter_for_each_bound()
    {
        Assert.That(Derive("Coverage", "_lastUpdated").Query,
            Is.EqualTo("_lastUpdated=ge2026-01-06T08%3A00%3A00Z&_lastUpdated=le2026-01-06T08%3A00%3A00Z"));
        Assert.That(Derive("Coverage", "identifier").Query, Is.EqualTo("identifier=https%3A%2F%2Fplan.example%2Fmember-id%7C08-testmemid-d"));
    }

    [Test]
    public void Values_with_search_separators_are_escaped_and_still_match_their_source()
    {
        var patient = new Patient { Id = "a,b", Name = [new HumanName { Family = "O|Brien$" }], Identifier = [new Identifier(null, "x\\y")] };
        Assert.Multiple(() =>
        {
            Assert.That(Derive("Patient", "_id", [Held(patient)]).Describe(), Is.EqualTo(@"_id=a\,b"));
            Assert.That(Derive("Patient", "name", [Held(patient)]).Describe(), Is.EqualTo(@"name=O\|Brien\$"));
            Assert.That(Derive("Patient", "identifier", [Held(patient)]).Describe(), Is.EqualTo(@"identifier=x\\y"));
        });
    }

    [Test]
    public void An_ongoing_period_is_searched_from_its_start_only()
    {
        var dental = Household()[2];
        Assert.That(Derive("Coverage", "period", [dental]).Describe(), Is.EqualTo("period=ge2024-07-01"));
    }

    [Test]
    public void Nothing_is_derived_when_no_held_resource_has_a_value()
    {
        var withoutPeriod = Held(HeldCoverage("x", "active", null, null, "p", "m", "2026-01-01T00:00:00Z"));
        Assert.Multiple(() =>
        {
            Assert.That(C4dicSearches.MostSelective(C4dicSearches.Find("Coverage", "period"), [withoutPeriod]), Is.Null);
            Assert.That(C4dicSearches.MostSelective(C4dicSearches.Find("Coverage", "status"), []), Is.Null);
        });
    }

    [TestCase("Coverage", "_lastUpdated", "c4dic-search-coverage-last-updated")]
    [TestCase("Coverage", "_id", "c4dic-search-coverage-id")]
    [TestCase("Coverage", "beneficiary", "c4dic-search-coverage-beneficiary")]
    [TestCase("Patient", "name", "c4dic-search-patient-name")]
    [TestCase("Organization", "_id", "c4dic-search-organization-id")]
    public void Each_search_has_its_catalogue_entry(string type, string parameter, string rule) =>
        Assert.That(C4dicSearches.Find(type, parameter).Rule.Id, Is.EqualTo(rule));

    [Test]
    public void Every_search_has_its_own_catalogue_entry() =>
        Assert.That(C4dicSearches.All.Select(s => s.Rule).Distinct().Count(), Is.EqualTo(C4dicSearches.All.Count));

    [Test]
    public void A_search_the_IG_does_not_mark_SHALL_is_refused_with_the_list_of_those_it_does()
    {
        var error = Assert.Throws<ArgumentException>(() => C4dicSearches.Find("Patient", "birthdate"));
        Assert.That(error!.Message, Does.Contain("Coverage status").And.Contain("Patient name"));
    }

    /// <summary>The catalog is exactly the C4DIC 1.0.0 CapabilityStatement's SHALL search parameters.</summary>
    [Test]
    public void The_catalog_lists_every_search_the_C4DIC_CapabilityStatement_marks_SHALL()
    {
        using var archive = new GZipStream(File.OpenRead(ValidationTestEnvironment.PackageArchive("hl7.fhir.us.insurance-card", "1.0.0")), CompressionMode.Decompress);
        using var reader = new TarReader(archive);
        JsonDocument? capability = null;
        while (reader.GetNextEntry() is { } entry)
            if (entry.Name.EndsWith("package/CapabilityStatement-c4dic.json", StringComparison.Ordinal))
                capability = JsonDocument.Parse(entry.DataStream!);
        Assert.That(capability, Is.Not.Null, "the package holds CapabilityStatement-c4dic.json");

        var shall = capability!.RootElement.GetProperty("rest")[0].GetProperty("resource").EnumerateArray()
            .SelectMany(r => r.GetProperty("searchParam").EnumerateArray()
                .Where(p => p.GetProperty("extension").EnumerateArray().Any(e => e.GetProperty("valueCode").GetString() == "SHALL"))
                .Select(p => $"{r.GetProperty("type").GetString()} {p.GetProperty("name").GetString()}"))
            .Order().ToList();
        Assert.That(C4dicSearches.All.Select(s => $"{s.ResourceType} {s.Parameter}").Order(), Is.EqualTo(shall));
    }

    [TestCase("_id", "_id=dic-conformance-no-such-value")]
    [TestCase("_profile", "_profile=http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Patient")]
    [TestCase("_lastUpdated", "_lastUpdated=ge1900-01-01T00:00:00Z&_lastUpdated=le1900-01-01T23:59:59Z")]
    [TestCase("beneficiary", "beneficiary=Patient/dic-conformance-no-such-value")]
    [TestCase("subscriber", "subscriber=Patient/dic-conformance-no-such-value")]
    [TestCase("patient", "patient=Patient/dic-conformance-no-such-value")]
    [TestCase("identifier", "identifier=https://dic-conformance.example/no-such-identifier-system|dic-conformance-no-such-value")]
    [TestCase("period", "period=ge1900-01-01&period=le1900-01-01")]
    [TestCase("status", "status=draft")]
    public void The_negative_control_sends_a_value_none_of_the_held_resources_matches(string parameter, string described)
    {
        var noMatch = C4dicSearches.NoMatch(C4dicSearches.Find("Coverage", parameter), Household());
        Assert.That(noMatch, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(noMatch!.Describe(), Is.EqualTo(described));
            Assert.That(noMatch.HeldOfType, Is.EqualTo(4));
            Assert.That(Household().Where(r => noMatch.Search.Matches(r.Resource, noMatch.Values)), Is.Empty);
        });
    }

    [Test]
    public void Every_search_has_a_negative_control_for_the_household_and_a_patient()
    {
        var patient = Held(new Patient
        {
            Id = "p-jason",
            Meta = new Meta { LastUpdated = DateTimeOffset.Parse("2026-01-06T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture) },
            Name = [new HumanName { Family = "Argonaut", Given = ["Jason"] }],
            Identifier = [new Identifier("https://plan.example/member-id", "08-testmemid")],
        });
        List<ReceivedResource> held = [.. Household(), patient, Held(new Organization { Id = "plan", Name = "Plan" })];
        foreach (var search in C4dicSearches.All)
            Assert.That(C4dicSearches.NoMatch(search, held), Is.Not.Null, $"{search.ResourceType} {search.Parameter}");
    }

    [Test]
    public void The_negative_control_skips_a_status_the_member_has_and_gives_up_when_every_status_is_held()
    {
        var status = C4dicSearches.Find("Coverage", "status");
        var draft = Held(HeldCoverage("draft", "draft", null, null, "p-jason", "m", "2026-01-01T00:00:00Z"));
        Assert.That(C4dicSearches.NoMatch(status, [.. Household(), draft])!.Describe(), Is.EqualTo("status=entered-in-error"));

        var everyStatus = new[] { "active", "cancelled", "draft", "entered-in-error" }
            .Select(s => Held(HeldCoverage(s, s, null, null, "p-jason", "m", "2026-01-01T00:00:00Z")))
            .ToList();
        Assert.That(C4dicSearches.NoMatch(status, everyStatus), Is.Null);
    }

    [Test]
    public void A_period_open_at_both_ends_leaves_no_period_value_that_cannot_match()
    {
        var open = Held(HeldCoverage("open", "active", null, "2030-01-01", "p-jason", "m", "2026-01-01T00:00:00Z"));
        Assert.That(C4dicSearches.NoMatch(C4dicSearches.Find("Coverage", "period"), [open]), Is.Null,
            "a Coverage with no start and an end in 2030 was in force in 1900, as FHIR's date search reads it");
    }

    /// <summary>
    /// features/resources/searches.feature documents each search with the element the harness takes its value from, in
    /// an Examples block of its own tagged with that search's requirement (and no other), so a filter on it selects that search alone.
    /// </summary>
    [Test]
    public void The_search_feature_lists_every_search_with_the_element_its_value_is_taken_from()
    {
        var path = Path.Combine(ValidationTestEnvironment.RepositoryRoot, "features", "resources", "searches.feature");
        var feature = new Gherkin.Parser().Parse(path).Feature;
        var rows = new List<string>();
        // The searches one parameter at a time (their Examples name a "parameter"); the outline of searches in combination
        // verifies one requirement for all its rows and carries it itself.
        foreach (var outline in feature.Children.OfType<Gherkin.Ast.Scenario>()
                     .Where(s => s.Examples.Any(e => e.TableHeader?.Cells.Any(c => c.Value == "parameter") == true)))
        {
            Assert.That(outline.Tags.Select(t => t.Name).Where(t => t.StartsWith("@req:", StringComparison.Ordinal)), Is.Empty,
                $"\"{outline.Name}\" carries @req tags on the outline: they belong on each search's Examples block");
            foreach (var examples in outline.Examples)
            {
                var header = examples.TableHeader.Cells.Select(c => c.Value).ToList();
                Assert.That(examples.TableBody.Count(), Is.EqualTo(1), $"Examples \"{examples.Name}\" holds one search");
                var cells = examples.TableBody.Single().Cells.Select(c => c.Value).ToList();
                var search = C4dicSearches.Find(examples.Name.Split(' ')[0], cells[header.IndexOf("parameter")]);
                Assert.That(examples.Name, Is.EqualTo($"{search.ResourceType} by {search.Parameter}"));
                Assert.That(cells[header.IndexOf("value taken from")], Is.EqualTo(search.ValueTakenFrom), $"{search.ResourceType} {search.Parameter}");
                Assert.That(examples.Tags.Select(t => t.Name).Where(t => t.StartsWith("@req:", StringComparison.Ordinal)), Is.EqualTo(new[] { "@req:" + search.Rule }),
                    $"the Examples of {search.ResourceType} {search.Parameter} are tagged with its requirement alone");
                rows.Add($"{search.ResourceType} {search.Parameter}");
            }
        }
        Assert.That(rows, Is.EquivalentTo(C4dicSearches.All.Select(s => $"{s.ResourceType} {s.Parameter}")));
    }
}
