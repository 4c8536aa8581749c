using DigitalInsurance.Conformance.Support.Browser;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Browser;

public class EnrollmentPageModelTests
{
    [TestCase("sandbox")]
    [TestCase("1uphealth")]
    public void Shipped_models_load_with_the_mission_labels(string name)
    {
        var model = EnrollmentPageModel.Load(RepositoryFiles.PageModel(name));

        Assert.That(model.SignIn!.CreateAccount.Name, Is.EqualTo("Create an account"));
        Assert.That(new[] { model.Enrollment.FirstName, model.Enrollment.LastName, model.Enrollment.Birthdate, model.Enrollment.MemberId, model.Enrollment.PostalCode, model.Enrollment.Email },
            Is.EqualTo(new[] { "First Name", "Last Name", "Birthdate", "Member ID", "Postal Code", "Email" }));
        Assert.That(model.Verification.Code, Is.EqualTo("Verification Code"));
        Assert.That((model.Consent.Allow.Name, model.Consent.Deny.Name), Is.EqualTo(("Allow", "Deny")));
    }

    [Test]
    public void Without_a_setting_the_sandbox_model_is_loaded_from_the_output_folder()
    {
        // Needs <None Include="support/browser/page-models/*.json" CopyToOutputDirectory="PreserveNewest" /> in the harness project.
        Assert.That(EnrollmentPageModel.Load(null).Name, Is.EqualTo("Demo Health Plan sandbox"));
        Assert.That(EnrollmentPageModel.Load("1uphealth").Name, Is.EqualTo("1upHealth Demo Health Plan"));
    }

    [Test]
    public void A_missing_file_names_the_setting()
    {
        var error = Assert.Throws<BrowserFlowException>(() => EnrollmentPageModel.Load("/nowhere/model.json"));
        Assert.That(error!.Message, Is.EqualTo("The enrollment page model file '/nowhere/model.json' does not exist: fix the pageModel setting (DIC_PAGE_MODEL)."));
    }

    [Test]
    public void An_unknown_shipped_name_lists_what_exists()
    {
        var error = Assert.Throws<BrowserFlowException>(() => EnrollmentPageModel.Load("no-such-payer"));
        Assert.That(error!.Message, Does.StartWith("No shipped enrollment page model named 'no-such-payer'"));
    }

    [Test]
    public void Missing_labels_are_listed()
    {
        var error = Assert.Throws<BrowserFlowException>(() => EnrollmentPageModel.Parse("""
            { "name": "partial",
              "enrollment": { "page": "form", "firstName": "First", "lastName": "Last", "birthdate": "DOB", "memberId": "ID", "postalCode": "ZIP", "submit": { "name": "Go" } },
              "verification": { "page": "verify", "code": "Code", "submit": { "name": "Verify" } },
              "consent": { "page": "consent", "allow": { "name": "Allow" } } }
            """, "partial.json"));
        Assert.That(error!.Message, Is.EqualTo("The enrollment page model partial.json lacks enrollment.email, consent.deny."));
    }

    [Test]
    public void A_misspelt_property_is_rejected()
    {
        var json = File.ReadAllText(RepositoryFiles.PageModel("sandbox")).Replace("\"firstName\"", "\"firstname_label\"");
        var error = Assert.Throws<BrowserFlowException>(() => EnrollmentPageModel.Parse(json, "typo.json"));
        Assert.That(error!.Message, Does.StartWith("The enrollment page model typo.json is not valid").And.Contain("firstname_label"));
    }
}
