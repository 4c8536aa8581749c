using System.Net;
using System.Text;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Discovery;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.Reporting;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using NUnit.Framework;
using static DigitalInsurance.Conformance.Tests.Fhir.C4dicSearchesTests;
using static DigitalInsurance.Conformance.Tests.Resources.ReferenceResolverTests;
using Task = System.Threading.Tasks.Task;

namespace DigitalInsurance.Conformance.Tests.Checks;

/// <summary>
/// Checks whose later part needs what an earlier check required: with that rule at warn (or off), the warning is
/// recorded and the dependent part is left out with a note saying why, or the scenario is skipped; never a
/// NullReferenceException. The same inputs with the rule required fail naming it.
/// </summary>
public sealed class WarnPolicyTests
{
    private const string Base = "https://fhir.example/r4/";
    private ScenarioEvidence _evidence = null!;

    [SetUp]
    public void NewEvidence() => _evidence = new ScenarioEvidence();

    private Check Policy(string policy) => new(new CheckScope(_evidence, [], RequirementPolicy.Parse(policy)));

    private IEnumerable<string> Titles => _evidence.All.Select(e => e.Title);

    private string Text(string title) => Encoding.UTF8.GetString(_evidence.All.First(e => e.Title == title).Content);

    [Test]
    public void Holds_reports_whether_the_check_held_and_fails_a_required_rule()
    {
        {
            var check = Policy("fhir-read=warn");
            Assert.That(check.Holds(true, Requirements.FhirRead, "x"), Is.True);
            Assert.That(check.Holds(false, Requirements.FhirRead, "x"), Is.False);
        }
        { var check = Policy(""); Assert.Throws<ConformanceFailure>(() => check.Holds(false, Requirements.FhirRead, "x")); }
    }

    [Test]
    public void Not_checked_notes_what_was_left_out_and_the_policy_that_let_the_scenario_go_on()
    {
        { var check = Policy("fhir-read=warn"); check.NotChecked(Requirements.FhirRead, "that the read equals the search"); }
        Assert.That(Text("Not checked [fhir-read]"), Is.EqualTo(
            "Not checked: that the read equals the search, because [fhir-read] did not hold, which the policy reports as a warning, not a failure (policy entry fhir-read=warn)."));

        NewEvidence();
        { var check = Policy("fhir-read=off"); check.NotChecked(Requirements.FhirRead, "that the read equals the search"); }
        Assert.That(Text("Not checked [fhir-read]"), Does.Contain("which the policy leaves unjudged (policy entry fhir-read=off)"));
    }

    [Test]
    public void Cannot_continue_skips_the_scenario_naming_the_rule()
    {
        var check = Policy("fhir-read=warn");
        var skipped = Assert.Throws<IgnoreException>(() => check.CannotContinue(Requirements.FhirRead, "the rest of the scenario"));
        Assert.That(skipped!.Message, Does.StartWith("Not checked: the rest of the scenario, because [fhir-read] did not hold"));
        Assert.That(Titles, Does.Contain("Not checked [fhir-read]"));
    }

    [Test]
    public void A_CapabilityStatement_without_a_resource_warns_and_leaves_its_interactions_unchecked()
    {
        var capability = new CapabilityStatement { Rest = [new CapabilityStatement.RestComponent { Mode = CapabilityStatement.RestfulCapabilityMode.Server }] };
        { var check = Policy(""); Assert.That(Assert.Throws<ConformanceFailure>(() => new CapabilityStatementRules(check).RequireResource(capability, "Coverage", "p"))!.Message,
                Does.StartWith("[fhir-capability-statement] The CapabilityStatement must list Coverage.")); }

        { var check = Policy("fhir-capability-statement=warn"); Assert.DoesNotThrow(() => new CapabilityStatementRules(check).RequireResource(capability, "Coverage", "p")); }
        Assert.Multiple(() =>
        {
            Assert.That(_evidence.Warnings.Single(), Does.StartWith("[fhir-capability-statement] The CapabilityStatement must list Coverage."));
            Assert.That(Text("Not checked [fhir-capability-statement]"), Does.StartWith("Not checked: the interactions and supported profiles of Coverage"));
        });
    }

    [Test]
    public async Task A_CapabilityStatement_without_oauth_uris_is_not_applicable_and_one_that_disagrees_fails()
    {
        using var http = new HttpClient(new FakeFhirServer(new Dictionary<string, string>
        {
            ["/r4/.well-known/smart-configuration"] = """{"authorization_endpoint":"https://auth.example/authorize","token_endpoint":"https://auth.example/token"}""",
        }));
        var smart = await new SmartConfigurationRules(Policy("")).FetchAsync(new FhirConversation(new FhirApi(http, new Uri(Base))));
        CapabilityStatement WithSecurity(CapabilityStatement.SecurityComponent security) => new()
        {
            Rest = [new CapabilityStatement.RestComponent { Mode = CapabilityStatement.RestfulCapabilityMode.Server, Security = security }],
        };

        // SMART 2.x discovery is .well-known: no extension is "not demonstrated", under the default (required) policy too.
        var skipped = Assert.Throws<IgnoreException>(() => new CapabilityStatementRules(Policy("")).RequireOAuthUrisMatch(WithSecurity(new()), smart))!;
        Assert.That(skipped.Message, Does.StartWith("Not applicable [smart-capability-oauth-uris]").And.Contain(".well-known/smart-configuration"));

        var disagreeing = new CapabilityStatement.SecurityComponent();
        disagreeing.Extension.Add(new Extension
        {
            Url = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
            Extension = [new Extension("authorize", new FhirUri("https://other.example/authorize")), new Extension("token", new FhirUri("https://auth.example/token"))],
        });
        var failure = Assert.Throws<ConformanceFailure>(() => new CapabilityStatementRules(Policy("")).RequireOAuthUrisMatch(WithSecurity(disagreeing), smart))!;
        Assert.That(failure.Message, Does.StartWith("[smart-capability-oauth-uris] oauth-uris authorize must equal"));
    }

    [Test]
    public async Task A_SMART_configuration_that_is_not_a_JSON_object_skips_under_warn_and_fails_when_required()
    {
        using var http = new HttpClient(new FakeFhirServer(new Dictionary<string, string> { ["/r4/.well-known/smart-configuration"] = "[]" }));
        var fhir = new FhirConversation(new FhirApi(http, new Uri(Base)));
        { var check = Policy(""); Assert.That((await ThrowsAsync<ConformanceFailure>(() => new SmartConfigurationRules(check).FetchAsync(fhir))).Message, Does.StartWith("[smart-discovery]")); }
        { var check = Policy("smart-discovery=warn"); Assert.That((await ThrowsAsync<IgnoreException>(() => new SmartConfigurationRules(check).FetchAsync(fhir))).Message, Does.Contain("[smart-discovery] did not hold")); }
    }

    [Test]
    public void A_read_the_search_did_not_return_warns_and_leaves_the_comparison_out()
    {
        var read = Held(new Patient { Id = "elsewhere" });
        { var check = Policy("fhir-read=warn"); Assert.DoesNotThrow(() => new ResourceRules(check).RequireSameAsSearch(read, Household())); }
        Assert.That(Text("Not checked [fhir-read]"), Does.Contain("that Patient/elsewhere read by id equals the search's copy"));
    }

    [Test]
    public void An_unreadable_resource_among_the_reads_warns_and_the_others_are_still_compared()
    {
        var fhir = new FhirConversation(new FhirApi(new HttpClient(), new Uri(Base)));
        fhir.Found.AddRange(Household());
        fhir.Reads.Add((null, new FhirResponse(HttpMethod.Get, new Uri(Base + "Coverage/medical"), HttpStatusCode.NotFound, FhirApi.FhirJson,
            new Dictionary<string, string>(), "{}")));
        var changed = (Coverage)Household()[1].Resource.DeepCopy();
        changed.Status = FinancialResourceStatusCodes.Active;
        changed.Meta = new Meta { VersionId = "2" };
        fhir.Reads.Add((Held(changed), new FhirResponse(HttpMethod.Get, new Uri(Base + "Coverage/medical-2025"), HttpStatusCode.OK, FhirApi.FhirJson,
            new Dictionary<string, string>(), changed.ToJson())));

        { var check = Policy("fhir-read=warn"); Assert.DoesNotThrow(() => new ResourceRules(check).RequireEveryReadMatchesSearch(fhir)); }
        Assert.That(_evidence.Warnings, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(_evidence.Warnings[0], Does.StartWith("[fhir-read] Every resource found by search must be readable by its id."));
            Assert.That(_evidence.Warnings[1], Does.StartWith("[fhir-read] Coverage/medical-2025 read by id must be the same version as the resource found by search"));
            Assert.That(Text("Not checked [fhir-read]"), Does.Contain("/r4/Coverage/medical equals the resource found by search"));
        });
    }

    [Test]
    public async Task Payors_that_cannot_be_read_are_left_out_under_warn_and_none_left_skips()
    {
        var organization = new Organization { Id = "plan", Name = "Plan" };
        using var http = new HttpClient(new FakeFhirServer(new Dictionary<string, string> { ["/r4/Organization/plan"] = organization.ToJson() }));
        var fhir = new FhirConversation(new FhirApi(http, new Uri(Base)));
        var unreadable = HeldCoverage("other", "active", null, null, "p-jason", "m", "2026-01-01T00:00:00Z");
        unreadable.Payor = [new ResourceReference("Organization/gone"), new ResourceReference("Patient/p-jason")];
        fhir.Found.AddRange([.. Household(), Held(unreadable)]);

        {
            var check = Policy("c4dic-coverage-payor=warn");
            var payors = await new ResourceRules(check).ReadPayorsAsync(fhir);
            Assert.That(payors.Select(p => p.Reference), Is.EqualTo(new[] { "Organization/plan" }));
        }
        Assert.That(_evidence.Warnings, Has.Count.EqualTo(2));
        Assert.That(_evidence.All.Where(e => e.Title == "Not checked [c4dic-coverage-payor]").Select(e => Encoding.UTF8.GetString(e.Content)),
            Has.Some.Contains("Organization/gone, which could not be read").And.Some.Contains("Patient/p-jason, which does not refer to an Organization"));

        NewEvidence();
        fhir.Found.Clear();
        fhir.Found.Add(Held(unreadable));
        { var check = Policy("c4dic-coverage-payor=warn"); Assert.That((await ThrowsAsync<IgnoreException>(() => new ResourceRules(check).ReadPayorsAsync(fhir))).Message,
                Does.StartWith("Not checked: whether the payors meet their profiles, as no payor Organization could be read")); }
        { var check = Policy(""); Assert.That((await ThrowsAsync<ConformanceFailure>(() => new ResourceRules(check).ReadPayorsAsync(fhir))).Message, Does.StartWith("[c4dic-coverage-payor]")); }
    }

    [TestCase("{\"resourceType\":\"Bundle\",", "is not a FHIR resource")]
    [TestCase("{\"resourceType\":\"Patient\",\"id\":\"x\"}", "as it is a Patient, not a Bundle")]
    public void An_answer_that_is_not_the_expected_resource_skips_under_warn_instead_of_crashing(string body, string why)
    {
        var response = new FhirResponse(HttpMethod.Get, new Uri(Base + "Coverage"), HttpStatusCode.OK, FhirApi.FhirJson, new Dictionary<string, string>(), body);
        { var check = Policy("fhir-search=warn"); Assert.That(Assert.Throws<IgnoreException>(() => new ResponseRules(check).RequireSearchset(response, Requirements.FhirSearch))!.Message,
                Does.Contain(why).And.Contain("[fhir-search] did not hold")); }
        { var check = Policy(""); Assert.That(Assert.Throws<ConformanceFailure>(() => new ResponseRules(check).RequireSearchset(response, Requirements.FhirSearch))!.Message, Does.StartWith("[fhir-search]")); }
    }

    [Test]
    public void A_verdict_repeated_in_a_later_scenario_still_starts_with_its_rule()
    {
        var earlier = new ConformanceFailure("[smart-token-response] The token endpoint must answer. Observed: HTTP 500");
        Assert.Multiple(() =>
        {
            Assert.That(ConformanceFailure.Repeated(earlier, "The run's shared authorization failed in an earlier scenario").Message,
                Is.EqualTo("[smart-token-response] The run's shared authorization failed in an earlier scenario: The token endpoint must answer. Observed: HTTP 500"));
            Assert.That(ConformanceFailure.Repeated(new ConformanceFailure("no rule"), "Earlier").Message, Is.EqualTo("Earlier: no rule"));
        });
    }

    private static async Task<T> ThrowsAsync<T>(Func<Task> action) where T : Exception
    {
        try
        {
            await action();
        }
        catch (T expected)
        {
            return expected;
        }
        throw new AssertionException($"Expected a {typeof(T).Name}, but nothing was thrown.");
    }
}
