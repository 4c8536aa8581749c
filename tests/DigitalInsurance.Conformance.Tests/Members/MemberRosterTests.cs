using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Members;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Members;

public class MemberRosterTests
{
    private static readonly MemberSettings Template = new() { EmailTemplate = "qa+{run}@plan.example" };
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("dic-members-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Test]
    public void Reads_members_from_json_with_their_five_attributes_and_the_email_template()
    {
        var path = Write("members.json", """
            [
              { "firstName": "Jason", "lastName": "Argonaut", "birthdate": "01/01/1986", "memberId": "08-testmemid", "postalCode": "02114" },
              { "label": "dependant", "firstName": "Jessica", "lastName": "Argonaut", "birthdate": "03/15/2014", "memberId": "08-testmemid-02", "postalCode": "02114" }
            ]
            """);

        var members = MemberRoster.Load(path, Template);

        Assert.That(members.Select(m => m.Label), Is.EqualTo(new[] { "Jason Argonaut", "dependant" }));
        Assert.That(members[1].Attributes, Is.EqualTo(Template with
        {
            FirstName = "Jessica", LastName = "Argonaut", Birthdate = "03/15/2014", MemberId = "08-testmemid-02", PostalCode = "02114",
        }));
    }

    [Test]
    public void Reads_an_object_with_a_members_array_and_csv_with_columns_in_any_order()
    {
        var json = Write("roster.json", """{ "members": [ { "firstName": "Amy", "lastName": "Shaw", "birthdate": "09/23/1979", "memberId": "DHP-4417-2093", "postalCode": "60614" } ] }""");
        var csv = Write("roster.csv", "# members of the demo plan\npostalCode,memberId,birthdate,lastName,firstName,label\r\n98101,DHP-7730-5521,11/08/1992,Tanaka,Kenji,\n60614,DHP-4417-2093,09/23/1979,Shaw,Amy,amy\n");

        Assert.That(MemberRoster.Load(json, Template).Single().Attributes.MemberId, Is.EqualTo("DHP-4417-2093"));
        var fromCsv = MemberRoster.Load(csv, Template);
        Assert.That(fromCsv.Select(m => (m.Label, m.Attributes.PostalCode)), Is.EqualTo(new[] { ("Kenji Tanaka", "98101"), ("amy", "60614") }));
    }

    [TestCase("[{ \"firstName\": \"Amy\", \"lastName\": \"Shaw\", \"birthdate\": \"09/23/1979\", \"postalCode\": \"60614\" }]", "has no memberId for member 1")]
    [TestCase("[{ \"firstName\": \"Amy\", \"lastName\": \"Shaw\", \"birthdate\": \"1979-09-23\", \"memberId\": \"X\", \"postalCode\": \"60614\" }]", "MM/DD/YYYY")]
    [TestCase("[]", "lists no member")]
    [TestCase("{ \"firstName\": \"Amy\" }", "neither a JSON array")]
    [TestCase("[{ \"firstName\": ", "is not valid JSON")]
    [TestCase("""
        [{ "firstName": "Amy", "lastName": "Shaw", "birthdate": "09/23/1979", "memberId": "A", "postalCode": "60614" },
         { "firstName": "Amy", "lastName": "Shaw", "birthdate": "09/23/1979", "memberId": "B", "postalCode": "60614" }]
        """, "labels two members 'Amy Shaw'")]
    public void A_wrong_json_file_is_one_line_naming_the_setting_and_the_fix(string content, string expected)
    {
        var error = Assert.Throws<SettingsException>(() => MemberRoster.Load(Write("members.json", content), Template))!;
        Assert.That(error.Message, Does.Contain(expected).And.Contain("membersFile").And.Contain("DIC_MEMBERS_FILE").And.Not.Contain("\n"));
    }

    [Test]
    public void Csv_values_may_be_quoted_with_commas_doubled_quotes_and_line_breaks_inside()
    {
        var csv = Write("quoted.csv", "label,firstName,lastName,birthdate,memberId,postalCode\n" +
            "\"household, spouse\",\"Pat\",\"O\"\"Brien\",02/14/1980,\"DHP-55,01\",\"02114\"\n" +
            "\"two\nlines\",Amy,Shaw,09/23/1979,DHP-4417-2093,60614\n");

        var members = MemberRoster.Load(csv, Template);

        Assert.Multiple(() =>
        {
            Assert.That(members.Select(m => m.Label), Is.EqualTo(new[] { "household, spouse", "two\nlines" }));
            Assert.That(members[0].Attributes, Is.EqualTo(Template with
            {
                FirstName = "Pat", LastName = "O\"Brien", Birthdate = "02/14/1980", MemberId = "DHP-55,01", PostalCode = "02114",
            }));
        });
    }

    [Test]
    public void A_csv_quote_that_never_closes_is_one_line_naming_the_file_and_the_fix()
    {
        var error = Assert.Throws<SettingsException>(() => MemberRoster.Load(
            Write("members.csv", "firstName,lastName,birthdate,memberId,postalCode\n\"Amy,Shaw,09/23/1979,X,60614\n"), Template))!;

        Assert.That(error.Message, Does.Contain("members.csv").And.Contain("values that contain commas or quotes").And.Not.Contain("\n"));
    }

    [TestCase("firstName,lastName,birthdate,memberId,postalCode,email\nA,B,01/01/1990,X,1\n", "unknown column(s) email")]
    [TestCase("firstName,lastName,birthdate,memberId,postalCode\nA,B,01/01/1990,X\n", "4 values on line 2")]
    public void A_wrong_csv_file_says_what_is_wrong(string content, string expected)
    {
        var error = Assert.Throws<SettingsException>(() => MemberRoster.Load(Write("members.csv", content), Template))!;
        Assert.That(error.Message, Does.Contain(expected));
    }

    [Test]
    public void A_missing_file_names_the_path()
    {
        var missing = Path.Combine(_folder, "none.json");
        Assert.That(() => MemberRoster.Load(missing, Template), Throws.TypeOf<SettingsException>().With.Message.Contains(missing).And.Message.Contains("does not exist"));
    }

    [Test]
    public void Discovery_reads_labels_and_leaves_a_broken_file_to_the_run_start()
    {
        var path = Write("members.json", """[{ "label": "one", "firstName": "A", "lastName": "B", "birthdate": "01/01/1990", "memberId": "X", "postalCode": "12345" }]""");
        Assert.Multiple(() =>
        {
            Assert.That(MemberRoster.LabelsForDiscovery("members.json", _folder), Is.EqualTo(new[] { "one" }), "relative to the output folder");
            Assert.That(MemberRoster.LabelsForDiscovery(Write("broken.json", "[{"), _folder), Is.Null);
            Assert.That(MemberRoster.LabelsForDiscovery(null, _folder), Is.Null);
        });
    }
}
