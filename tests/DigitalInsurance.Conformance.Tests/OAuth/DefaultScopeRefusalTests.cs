using DigitalInsurance.Conformance.Tests.Checks;
using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Session;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.OAuth;

/// <summary>A request without scope refused with invalid_scope breaks smart-scope-default, named as such.</summary>
public sealed class DefaultScopeRefusalTests
{
    private static AuthorizationRedirect Redirect(string query) => AuthorizationRedirect.Parse(new Uri("https://app.example/callback?" + query));

    [Test]
    public void A_refusal_with_invalid_scope_fails_the_default_scope_rule()
    {
        var failure = Assert.Throws<ConformanceFailure>(() =>
            new ScopeRules(TestChecks.Default()).RequireNotRefusedWithoutScope(Redirect("error=invalid_scope&error_description=scope%20required&state=s1")));
        Assert.That(failure!.Message, Does.StartWith("[smart-scope-default] An authorization request without scope must be processed with the payer's documented default scope")
            .And.EndWith("Observed: the authorization server redirected with error=invalid_scope (scope required)"));
    }

    [Test]
    public void A_code_or_no_redirect_yet_passes()
    {
        Assert.DoesNotThrow(() => new ScopeRules(TestChecks.Default()).RequireNotRefusedWithoutScope(Redirect("code=abc&state=s1")));
        Assert.DoesNotThrow(() => new ScopeRules(TestChecks.Default()).RequireNotRefusedWithoutScope(null));
    }

    [Test]
    public void At_warn_the_refusal_is_a_warning_and_the_scenario_is_skipped()
    {
        var evidence = new Support.Reporting.ScenarioEvidence();
        var check = new Check(new CheckScope(evidence, [], RequirementPolicy.Parse("smart-scope-default=warn")));
        Assert.Throws<IgnoreException>(() => new ScopeRules(check).RequireNotRefusedWithoutScope(Redirect("error=invalid_scope")));
        Assert.That(evidence.Warnings.Single(), Does.StartWith("[smart-scope-default]"));
    }
}
