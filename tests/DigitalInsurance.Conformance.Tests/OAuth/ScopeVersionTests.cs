using System.Net;
using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Tests.Checks;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.OAuth;

/// <summary>
/// SMART v1 and v2 scopes: scope=auto asks for patient/*.rs where permission-v2 is advertised, else patient/*.read;
/// smart-scopes-v2 holds when a v2 request is neither refused nor granted less (v1 equivalents count).
/// </summary>
public sealed class ScopeVersionTests
{
    private static SmartAdvertisement Advertising(params string[] capabilities) => new(["S256"], capabilities, null);

    private static TokenResponse Granted(string scope) =>
        new(HttpStatusCode.OK, new Dictionary<string, IReadOnlyList<string>>(),
            $$"""{"access_token":"at-scope-version-test","token_type":"Bearer","expires_in":300,"scope":"{{scope}}"}""");

    [Test]
    public void Auto_asks_for_v2_only_where_permission_v2_is_advertised() =>
        Assert.Multiple(() =>
        {
            Assert.That(ClinicalScope.Decide(ScopeSetting.Auto, Advertising("permission-v1", "permission-v2")).Value, Is.EqualTo("patient/*.rs"));
            Assert.That(ClinicalScope.Decide(ScopeSetting.Auto, Advertising("permission-v1")).Value, Is.EqualTo("patient/*.read"));
            Assert.That(ClinicalScope.Decide(ScopeSetting.Auto, SmartAdvertisement.Unread("no answer")).Value, Is.EqualTo("patient/*.read"));
        });

    [Test]
    public void A_scope_set_explicitly_is_sent_as_it_is() =>
        Assert.That(ClinicalScope.Decide("openid fhirUser patient/*.read", Advertising("permission-v2")).Value, Is.EqualTo("openid fhirUser patient/*.read"));

    [TestCase("patient/*.rs", true)]
    [TestCase("patient/Coverage.r?status=active", true)]
    [TestCase("user/*.cruds", true)]
    [TestCase("patient/*.read", false)]
    [TestCase("patient/*.*", false)]
    [TestCase("patient/*.sr", false)]
    [TestCase("launch/patient", false)]
    public void V2_syntax_is_a_cruds_suffix(string scope, bool v2) => Assert.That(ScopeGrant.IsV2(scope), Is.EqualTo(v2));

    [TestCase("launch/patient patient/*.rs")]
    [TestCase("patient/*.read")]
    [TestCase("patient/Patient.rs patient/Coverage.rs patient/Organization.rs")]
    public void A_grant_covering_the_v2_request_holds(string granted) =>
        Assert.DoesNotThrow(() => new ScopeRules(TestChecks.Default()).RequireV2ScopesGranted(Granted(granted), "patient/*.rs"));

    [Test]
    public void A_narrower_grant_fails_naming_what_it_does_not_cover()
    {
        var failure = Assert.Throws<ConformanceFailure>(() => new ScopeRules(TestChecks.Default()).RequireV2ScopesGranted(Granted("patient/Patient.rs patient/Coverage.r"), "patient/*.rs"));
        Assert.That(failure!.Message, Does.StartWith("[smart-scopes-v2]").And.Contain("does not cover patient/Coverage.rs, patient/Organization.rs"));
    }

    [Test]
    public void A_refused_v2_request_fails_and_a_code_passes()
    {
        var refusal = AuthorizationRedirect.Parse(new Uri("https://app.example/callback?error=invalid_scope&state=s1"));
        var failure = Assert.Throws<ConformanceFailure>(() => new ScopeRules(TestChecks.Default()).RequireV2RequestNotRefused(refusal, "patient/*.rs"));
        Assert.That(failure!.Message, Does.StartWith("[smart-scopes-v2]").And.Contain("error=invalid_scope"));
        Assert.DoesNotThrow(() => new ScopeRules(TestChecks.Default())
            .RequireV2RequestNotRefused(AuthorizationRedirect.Parse(new Uri("https://app.example/callback?code=abc&state=s1")), "patient/*.rs"));
    }
}
