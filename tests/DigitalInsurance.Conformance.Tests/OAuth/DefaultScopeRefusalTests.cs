using DigitalInsurance.Conformance.Tests.Checks;
using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Session;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.OAuth;

/// <summary>
/// RFC 6749 3.3: a request without scope is processed with a default or refused indicating an invalid scope. A refusal
/// with invalid_scope is conformant (skipped: no default grant to check); any other refusal breaks smart-scope-default.
/// </summary>
public sealed class DefaultScopeRefusalTests
{
    private static AuthorizationRedirect Redirect(string query) => AuthorizationRedirect.Parse(new Uri("https://app.example/callback?" + query));

    [Test]
    public void A_refusal_with_invalid_scope_is_not_applicable_and_names_RFC_6749_3_3()
    {
        var evidence = new Support.Reporting.ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, [], RequirementPolicy.Parse("")));
        var skipped = Assert.Throws<IgnoreException>(() =>
            new ScopeRules(check).RequireNotRefusedWithoutScope(Redirect("error=invalid_scope&error_description=scope%20required&state=s1")));
        Assert.That(skipped!.Message, Does.StartWith("Not applicable [smart-scope-default]").And.Contain("RFC 6749 section 3.3"));
        Assert.That(evidence.Warnings, Is.Empty);
    }

    [Test]
    public void Another_refusal_fails_the_default_scope_rule()
    {
        var failure = Assert.Throws<ConformanceFailure>(() =>
            new ScopeRules(TestChecks.Default()).RequireNotRefusedWithoutScope(Redirect("error=server_error&error_description=oops&state=s1")));
        Assert.That(failure!.Message, Does.StartWith("[smart-scope-default] An authorization request without scope must be processed with the payer's default scope or refused indicating an invalid scope")
            .And.EndWith("Observed: the authorization server redirected with error=server_error (oops)"));
    }

    [Test]
    public void A_code_or_no_redirect_yet_passes()
    {
        Assert.DoesNotThrow(() => new ScopeRules(TestChecks.Default()).RequireNotRefusedWithoutScope(Redirect("code=abc&state=s1")));
        Assert.DoesNotThrow(() => new ScopeRules(TestChecks.Default()).RequireNotRefusedWithoutScope(null));
    }

    [Test]
    public void At_warn_another_refusal_is_a_warning_and_the_scenario_is_skipped()
    {
        var evidence = new Support.Reporting.ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, [], RequirementPolicy.Parse("smart-scope-default=warn")));
        Assert.Throws<IgnoreException>(() => new ScopeRules(check).RequireNotRefusedWithoutScope(Redirect("error=access_denied")));
        Assert.That(evidence.Warnings.Single(), Does.StartWith("[smart-scope-default]"));
    }
}
