using NUnit.Framework;
using DemoHealthPlan.Sandbox.Fhir.Data;
using DemoHealthPlan.Sandbox.Fhir.Members;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

public class MemberDirectoryTests
{
    private static MemberDirectory Shipped() => new(FhirTestData.LoadShipped());

    private static string? Find(MemberDirectory directory, TestMember m) =>
        directory.Find(m.FirstName, m.LastName, m.BirthDate, m.MemberId, m.PostalCode)?.PatientId;

    [Test]
    public void Test_Member_1_is_found_as_jason_argonaut()
    {
        var record = Shipped().Find("Jason", "Argonaut", new DateOnly(1986, 1, 1), "08-testmemid", "02114");
        Assert.That(record, Is.EqualTo(new Sandbox.Fhir.MemberRecord("jason-argonaut", "Jason Argonaut")));
    }

    [Test]
    public void Every_shipped_member_is_found_by_their_card()
    {
        var directory = Shipped();
        Assert.Multiple(() =>
        {
            Assert.That(Find(directory, TestMembers.JasonArgonaut), Is.EqualTo("jason-argonaut"));
            Assert.That(Find(directory, FhirTestData.Jessica), Is.EqualTo("jessica-argonaut"));
            Assert.That(Find(directory, FhirTestData.Amy), Is.EqualTo("amy-shaw"));
            Assert.That(Find(directory, FhirTestData.Amy with { MemberId = "GLV-5582-0417" }), Is.EqualTo("amy-shaw"), "her vision card");
            Assert.That(Find(directory, FhirTestData.Kenji), Is.EqualTo("kenji-tanaka"));
        });
    }

    [Test]
    public void Members_are_listed_in_data_set_order_with_their_member_ids()
    {
        var members = Shipped().Members();
        Assert.That(members.Select(m => m.PatientId), Is.EqualTo(new[] { "jason-argonaut", "jessica-argonaut", "amy-shaw", "kenji-tanaka" }));
        Assert.That(members[0].MemberIds, Is.EquivalentTo(new[] { "08-testmemid", "08-testmemid-d" }));
        // The dependent answers to her own member id and to the subscriber id on her card.
        Assert.That(members[1].MemberIds, Is.EquivalentTo(new[] { "08-testmemid-02", "08-testmemid" }));
        // Kenji's Patient has no MB identifier: his member id comes from his Coverage.
        Assert.That(members[3].MemberIds, Is.EquivalentTo(new[] { "DHP-7730-5521" }));
        // Amy has a card from each of her two payors; either member id finds her.
        Assert.That(members[2].MemberIds, Is.EquivalentTo(new[] { "DHP-4417-2093", "GLV-5582-0417" }));
        Assert.That(Shipped().First()!.PatientId, Is.EqualTo("jason-argonaut"));
    }

    [Test]
    public void Names_and_member_id_are_compared_case_insensitively_and_trimmed()
    {
        Assert.That(Shipped().Find("  jASON ", "ARGONAUT ", new DateOnly(1986, 1, 1), " 08-TESTMEMID ", " 02114 ")?.PatientId, Is.EqualTo("jason-argonaut"));
    }

    [Test]
    public void A_dependent_can_use_the_subscriber_id_from_her_card()
    {
        Assert.That(Shipped().Find("Jessica", "Argonaut", new DateOnly(2014, 3, 15), "08-testmemid", "02114")?.PatientId, Is.EqualTo("jessica-argonaut"));
    }

    [Test]
    public void A_five_digit_zip_matches_a_recorded_zip_plus_four()
    {
        // Amy's address is recorded as 60614-2208.
        Assert.That(Find(Shipped(), FhirTestData.Amy with { PostalCode = "60614" }), Is.EqualTo("amy-shaw"));
        Assert.That(Find(Shipped(), FhirTestData.Amy with { PostalCode = "60614-2208" }), Is.EqualTo("amy-shaw"));
        Assert.That(Find(Shipped(), FhirTestData.Amy with { PostalCode = "60615" }), Is.Null);
    }

    [Test]
    public void Any_one_wrong_attribute_finds_nobody()
    {
        var directory = Shipped();
        var jason = TestMembers.JasonArgonaut;
        Assert.Multiple(() =>
        {
            Assert.That(Find(directory, jason with { FirstName = "Jay" }), Is.Null);
            Assert.That(Find(directory, jason with { LastName = "Argonauts" }), Is.Null);
            Assert.That(Find(directory, jason with { BirthDate = new DateOnly(1986, 1, 2) }), Is.Null);
            Assert.That(Find(directory, jason with { MemberId = "08-testmemid-02" }), Is.Null);
            Assert.That(Find(directory, jason with { PostalCode = "02115" }), Is.Null);
            // Another member's member id with Jason's other attributes.
            Assert.That(Find(directory, jason with { MemberId = "DHP-4417-2093" }), Is.Null);
        });
    }

    [Test]
    public void By_patient_id_finds_members_only()
    {
        var directory = Shipped();
        Assert.That(directory.ByPatientId("kenji-tanaka"), Is.EqualTo(new Sandbox.Fhir.MemberRecord("kenji-tanaka", "Kenji Tanaka")));
        Assert.That(directory.ByPatientId("demo-health-plan"), Is.Null);
        Assert.That(directory.ByPatientId("nobody"), Is.Null);
    }

    [Test]
    public void A_patient_without_member_identifier_or_coverage_is_not_a_member()
    {
        using var folder = new TempDataFolder().With("p.json", """
            {"resourceType":"Patient","id":"walk-in","identifier":[{"system":"urn:x","value":"X1"}],
             "name":[{"family":"Doe","given":["Pat"]}],"birthDate":"1990-01-01","address":[{"postalCode":"12345"}]}
            """);
        var directory = new MemberDirectory(FhirDataLoader.Load(folder.Path));
        Assert.That(directory.Members(), Is.Empty);
        Assert.That(directory.Find("Pat", "Doe", new DateOnly(1990, 1, 1), "X1", "12345"), Is.Null);
    }

    [Test]
    public void Two_patients_answering_to_the_same_card_match_neither()
    {
        const string twin = """
            {"resourceType":"Patient","id":"ID","identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MB"}]},"system":"urn:m","value":"M-1"}],
             "name":[{"family":"Doe","given":["Pat"]}],"birthDate":"1990-01-01","address":[{"postalCode":"12345"}]}
            """;
        using var folder = new TempDataFolder().With("a.json", twin.Replace("\"ID\"", "\"a\"")).With("b.json", twin.Replace("\"ID\"", "\"b\""));
        var directory = new MemberDirectory(FhirDataLoader.Load(folder.Path));
        Assert.That(directory.Members(), Has.Count.EqualTo(2));
        Assert.That(directory.Find("Pat", "Doe", new DateOnly(1990, 1, 1), "M-1", "12345"), Is.Null);
    }
}
