using DigitalInsurance.Conformance.Support.Configuration;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Configuration;

public class OtherMemberSettingsTests
{
    private static readonly Dictionary<string, string?> External = new()
    {
        ["target"] = "external",
        ["authBaseUrl"] = "https://auth.payer.example",
        ["fhirBaseUrl"] = "https://api.payer.example/r4",
        ["clientId"] = "app",
        ["redirectUri"] = "https://app.example/callback",
    };

    private static readonly Dictionary<string, string?> Secrets = new()
    {
        ["DIC_CLIENT_SECRET"] = "s3cret-value",
        ["DIC_MEMBER_EMAIL"] = "qa@payer-mailbox.example",
    };

    private static Dictionary<string, string?> With(Dictionary<string, string?> a, Dictionary<string, string?> b) =>
        a.Concat(b).ToDictionary(kv => kv.Key, kv => kv.Value);

    [Test]
    public void The_sandbox_defaults_to_Amy_Shaw_from_its_data_set()
    {
        var other = SettingsBinder.Bind(new Dictionary<string, string?>(), new Dictionary<string, string?>()).OtherMember;
        Assert.That(other, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That($"{other!.FirstName} {other.LastName}", Is.EqualTo("Amy Shaw"));
            Assert.That(other.Birthdate, Is.EqualTo("09/23/1979"));
            Assert.That(other.MemberId, Is.EqualTo("DHP-4417-2093"));
            Assert.That(other.PostalCode, Is.EqualTo("60614"));
            Assert.That(other.EmailTemplate, Is.EqualTo("member+{run}@dic-conformance.example"), "same mailbox as the member");
        });
    }

    /// <summary>Issue #13: a data folder of the user's own may have no Amy Shaw; the other-member scenarios are then skipped, not failed.</summary>
    [Test]
    public void A_sandbox_with_a_data_folder_of_ones_own_has_no_other_member_unless_configured()
    {
        var own = new Dictionary<string, string?> { ["sandboxDataFolder"] = "/data/our-members" };
        Assert.That(SettingsBinder.Bind(own, new Dictionary<string, string?>()).OtherMember, Is.Null);
        var configured = SettingsBinder.Bind(With(own, new()
        {
            ["otherMemberFirstName"] = "Kenji",
            ["otherMemberLastName"] = "Tanaka",
            ["otherMemberBirthdate"] = "11/08/1992",
            ["otherMemberId"] = "DHP-7730-5521",
            ["otherMemberPostalCode"] = "98101",
        }), new Dictionary<string, string?>()).OtherMember;
        Assert.That(configured?.LastName, Is.EqualTo("Tanaka"));
    }

    [Test]
    public void An_external_payer_has_no_other_member_unless_configured() =>
        Assert.That(SettingsBinder.Bind(External, Secrets).OtherMember, Is.Null);

    [Test]
    public void All_five_attributes_bind_from_runsettings_or_the_environment()
    {
        var parameters = With(External, new()
        {
            ["otherMemberFirstName"] = "Kenji",
            ["otherMemberLastName"] = "Tanaka",
            ["otherMemberBirthdate"] = "11/08/1992",
            ["otherMemberId"] = "DHP-7730-5521",
        });
        var environment = With(Secrets, new() { ["DIC_OTHER_MEMBER_POSTAL_CODE"] = "98101" });
        var other = SettingsBinder.Bind(parameters, environment).OtherMember!;
        Assert.Multiple(() =>
        {
            Assert.That($"{other.FirstName} {other.LastName} {other.Birthdate} {other.MemberId} {other.PostalCode}",
                Is.EqualTo("Kenji Tanaka 11/08/1992 DHP-7730-5521 98101"));
            Assert.That(other.EmailTemplate, Is.EqualTo("qa@payer-mailbox.example"));
        });
    }

    [Test]
    public void Some_attributes_without_the_others_name_the_missing_ones()
    {
        var error = Assert.Throws<SettingsException>(() => SettingsBinder.Bind(new Dictionary<string, string?> { ["otherMemberFirstName"] = "Kenji" }, new Dictionary<string, string?>()));
        Assert.That(error!.Message, Does.Contain("otherMemberLastName").And.Contain("DIC_OTHER_MEMBER_POSTAL_CODE").And.Not.Contain("'otherMemberFirstName'"));
    }

    [Test]
    public void A_birthdate_not_written_as_the_form_asks_is_refused()
    {
        var error = Assert.Throws<SettingsException>(() => SettingsBinder.Bind(new Dictionary<string, string?>
        {
            ["otherMemberFirstName"] = "Kenji", ["otherMemberLastName"] = "Tanaka", ["otherMemberBirthdate"] = "1992-11-08",
            ["otherMemberId"] = "DHP-7730-5521", ["otherMemberPostalCode"] = "98101",
        }, new Dictionary<string, string?>()));
        Assert.That(error!.Message, Does.Contain("otherMemberBirthdate").And.Contain("MM/DD/YYYY"));
    }
}
