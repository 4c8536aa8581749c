using DigitalInsurance.Conformance.Support.OAuth;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.OAuth;

public class ScopeGrantTests
{
    [Test]
    public void Parse_splits_on_spaces_and_drops_repeats() =>
        Assert.That(ScopeGrant.Parse("  openid fhirUser  patient/*.read openid "), Is.EqualTo(new[] { "openid", "fhirUser", "patient/*.read" }));

    [Test]
    public void Parse_of_nothing_is_empty()
    {
        Assert.That(ScopeGrant.Parse(null), Is.Empty);
        Assert.That(ScopeGrant.Parse(""), Is.Empty);
    }

    [TestCase("patient/*.read", "patient/*.read")]
    [TestCase("patient/*.read", "patient/*.rs")]
    [TestCase("patient/*.rs", "patient/*.read")]
    [TestCase("patient/*.read", "patient/Patient.read")]
    [TestCase("patient/*.read", "patient/Coverage.r")]
    [TestCase("patient/*.*", "patient/Coverage.cruds")]
    [TestCase("patient/Patient.cruds", "patient/Patient.write")]
    [TestCase("patient/Observation.rs", "patient/Observation.rs?category=laboratory")]
    [TestCase("openid", "openid")]
    public void A_scope_covers_what_allows_no_more(string have, string wanted) =>
        Assert.That(ScopeGrant.Covers([have], wanted), Is.True);

    [TestCase("patient/Patient.read", "patient/*.read", Description = "one type does not cover every type")]
    [TestCase("patient/*.read", "patient/*.cruds", Description = "read does not cover write")]
    [TestCase("patient/*.read", "user/*.read", Description = "patient context does not cover user context")]
    [TestCase("patient/*.r", "patient/*.rs", Description = "read does not cover search")]
    [TestCase("patient/Observation.rs?category=laboratory", "patient/Observation.rs", Description = "a query-narrowed scope does not cover the whole type")]
    [TestCase("patient/*.read", "openid", Description = "resource scopes do not cover identity scopes")]
    [TestCase("openid", "fhirUser", Description = "non-resource scopes match only exactly")]
    [TestCase("patient/*.read", "launch/patient", Description = "launch context is not implied")]
    [TestCase("patient/*.dus", "patient/*.d", Description = "out-of-order permissions allow nothing")]
    public void A_scope_does_not_cover_what_it_does_not_allow(string have, string wanted) =>
        Assert.That(ScopeGrant.Covers([have], wanted), Is.False);

    [Test]
    public void A_set_of_scopes_allows_the_union_of_its_permissions() =>
        Assert.That(ScopeGrant.Covers(["patient/Patient.r", "patient/Patient.s"], "patient/Patient.rs"), Is.True);

    [Test]
    public void Beyond_lists_the_granted_scopes_the_request_does_not_cover() =>
        Assert.That(ScopeGrant.Beyond(["patient/Patient.read", "patient/Coverage.read", "openid"], ["patient/Patient.rs"]),
            Is.EqualTo(new[] { "patient/Coverage.read", "openid" }));

    [Test]
    public void Beyond_is_empty_for_a_grant_narrower_than_the_request() =>
        Assert.That(ScopeGrant.Beyond(["patient/Patient.read"], ["patient/*.read", "openid"]), Is.Empty);

    [Test]
    public void Missing_lists_the_required_scopes_the_grant_does_not_cover() =>
        Assert.That(ScopeGrant.Missing(["patient/*.read", "openid"], ["patient/Patient.read", "openid"]), Is.EqualTo(new[] { "patient/*.read" }));

    [Test]
    public void The_default_granted_exactly_is_neither_missing_nor_beyond()
    {
        string[] granted = ["patient/*.rs"];
        string[] defaults = ["patient/*.read"];
        Assert.That(ScopeGrant.Missing(defaults, granted), Is.Empty);
        Assert.That(ScopeGrant.Beyond(granted, defaults), Is.Empty);
    }
}
