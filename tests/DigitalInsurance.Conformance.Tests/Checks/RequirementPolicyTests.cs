using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Configuration;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Checks;

/// <summary>The policy setting: its syntax, which entry decides a check's level, and when a whole scenario is skipped.</summary>
public sealed class RequirementPolicyTests
{
    private static readonly string[] NoTags = [];

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ;  ")]
    public void No_setting_leaves_every_requirement_required_except_the_IG_defaults(string? setting)
    {
        var policy = RequirementPolicy.Parse(setting);

        Assert.Multiple(() =>
        {
            Assert.That(policy.IsDefault, Is.True);
            Assert.That(policy.Decide("c4dic-must-support", NoTags).Level, Is.EqualTo(RequirementLevel.Warn), "Must Support is not demonstrated, not failed, by default");
            Assert.That(policy.Decide("fhir-read", NoTags).Level, Is.EqualTo(RequirementLevel.Required));
            Assert.That(policy.Decide("smart-token-expires-in", NoTags),
                Is.EqualTo(new RequirementDecision(RequirementLevel.Warn, Requirements.SmartTokenExpiresIn.DefaultPolicyReason)));
        });
    }

    [Test]
    public void Requirement_ids_map_to_their_levels_with_or_without_a_req_prefix()
    {
        var policy = RequirementPolicy.Parse("c4dic-must-support=warn; req:fhir-read=OFF, @req:fhir-search=required;smart-token-expires-in=required");

        Assert.Multiple(() =>
        {
            Assert.That(policy.Decide("c4dic-must-support", NoTags),
                Is.EqualTo(new RequirementDecision(RequirementLevel.Warn, "policy entry c4dic-must-support=warn")));
            Assert.That(policy.Decide("fhir-read", NoTags).Level, Is.EqualTo(RequirementLevel.Off));
            Assert.That(policy.Decide("fhir-search", NoTags).Level, Is.EqualTo(RequirementLevel.Required));
            Assert.That(policy.Decide("smart-token-expires-in", NoTags).Level, Is.EqualTo(RequirementLevel.Required), "an entry overrides the catalogue default");
            Assert.That(policy.Decide("c4dic-coverage-profile", NoTags).Level, Is.EqualTo(RequirementLevel.Required), "not named: required");
        });
    }

    /// <summary>The preflight's rule is a requirement id like the others: a team can turn it into a warning.</summary>
    [Test]
    public void The_preflight_requirement_can_be_set_like_any_other()
    {
        var policy = RequirementPolicy.Parse("harness-preflight=warn");
        Assert.That(policy.Decide(Requirements.HarnessPreflight, NoTags).Level, Is.EqualTo(RequirementLevel.Warn));

        var report = new Support.Preflight.PreflightReport("mailbox login", [Support.Preflight.PreflightFinding.Problem("IMAP login", "refused", "check imapUser")]);
        var evidence = new Support.Reporting.ScenarioEvidence();
        { var check = new Check(new CheckScope(evidence, NoTags, policy)); Assert.DoesNotThrow(() => new PreflightRules(check).RequireNoProblems(report)); }
        Assert.That(evidence.Warnings.Single(), Does.StartWith("[harness-preflight] mailbox login: 1 problem").And.Contain("FAIL  IMAP login: refused Fix: check imapUser"));
        { var check = new Check(new CheckScope(evidence, NoTags, RequirementPolicy.Default)); Assert.Throws<Support.Preflight.PreflightFailedException>(() => new PreflightRules(check).RequireNoProblems(report)); }
    }

    [Test]
    public void A_tag_entry_applies_to_every_check_of_a_scenario_with_that_tag_unless_an_id_entry_names_the_check()
    {
        var policy = RequirementPolicy.Parse("@coverage=warn;c4dic-coverage-payor=required");
        string[] coverageScenario = ["fhir", "coverage", "c4dic", "req:c4dic-coverage-payor"];

        Assert.Multiple(() =>
        {
            Assert.That(policy.Decide("c4dic-coverage-profile", coverageScenario),
                Is.EqualTo(new RequirementDecision(RequirementLevel.Warn, "policy entry @coverage=warn")));
            Assert.That(policy.Decide("c4dic-coverage-payor", coverageScenario).Level, Is.EqualTo(RequirementLevel.Required));
            Assert.That(policy.Decide("c4dic-coverage-profile", ["patient"]).Level, Is.EqualTo(RequirementLevel.Required));
        });
    }

    [Test]
    public void A_user_tag_entry_overrides_an_IG_default()
    {
        var policy = RequirementPolicy.Parse("@token=required");

        Assert.That(policy.Decide("smart-token-expires-in", ["token"]).Level, Is.EqualTo(RequirementLevel.Required));
    }

    [Test]
    public void When_several_tag_entries_match_the_strictest_wins()
    {
        var policy = RequirementPolicy.Parse("@coverage=off;@severity:critical=warn");

        Assert.Multiple(() =>
        {
            Assert.That(policy.Decide("c4dic-coverage-profile", ["coverage", "severity:critical"]).Level, Is.EqualTo(RequirementLevel.Warn));
            Assert.That(policy.Decide("c4dic-coverage-profile", ["COVERAGE"]).Level, Is.EqualTo(RequirementLevel.Off), "tags compare case-insensitively");
        });
    }

    [TestCase("c4dic-must-support", "the entry 'c4dic-must-support' is not <requirement-id or @tag>=<level>")]
    [TestCase("c4dic-must-support=maybe", "the entry 'c4dic-must-support=maybe' has the level 'maybe', which is none of required, warn, off")]
    [TestCase("=warn", "the entry '=warn' is not <requirement-id or @tag>=<level>")]
    [TestCase("coverage=off", "the entry 'coverage=off' names 'coverage', which is neither a requirement id")]
    [TestCase("C4DIC-Must-Support=off", "names 'C4DIC-Must-Support', which is neither a requirement id")]
    [TestCase("@=off", "the entry '@=off' has no tag name after '@'")]
    [TestCase("fhir-read=off;fhir-read=warn", "the requirement fhir-read is given two different levels")]
    [TestCase("@coverage=off;@Coverage=warn", "the tag @Coverage is given two different levels")]
    public void A_malformed_entry_is_named_in_the_error(string setting, string expected)
    {
        var error = Assert.Throws<FormatException>(() => RequirementPolicy.Parse(setting));

        Assert.That(error!.Message, Does.Contain(expected));
        Assert.That(error.Message, Does.StartWith("a list of entries <requirement-id or @tag>=required|warn|off separated by ';'"));
    }

    [Test]
    public void The_same_entry_twice_is_accepted()
    {
        Assert.That(RequirementPolicy.Parse("fhir-read=off;fhir-read=off").Decide("fhir-read", NoTags).Level, Is.EqualTo(RequirementLevel.Off));
    }

    [Test]
    public void A_scenario_is_skipped_only_when_every_requirement_it_verifies_is_off()
    {
        var policy = RequirementPolicy.Parse("c4dic-must-support=off;fhir-search=off;c4dic-patient-profile=warn");

        Assert.Multiple(() =>
        {
            Assert.That(policy.SkipReason(["fhir", "must-support", "req:c4dic-must-support"]), Is.EqualTo(
                "Every requirement this scenario verifies is off by policy (setting 'policy' / DIC_POLICY): " +
                "c4dic-must-support (policy entry c4dic-must-support=off)."));
            Assert.That(policy.SkipReason(["req:c4dic-patient-profile", "req:fhir-search"]), Is.Null, "one requirement still warns");
            Assert.That(policy.SkipReason(["fhir", "patient"]), Is.Null, "a scenario naming no requirement is never skipped by policy");
            Assert.That(RequirementPolicy.Parse("@patient=off").SkipReason(["patient", "req:c4dic-patient-profile"]), Does.Contain("policy entry @patient=off"));
            Assert.That(RequirementPolicy.Parse("@smart-standalone-launch=off").SkipReason(["smart-standalone-launch", "req:smart-token-response"]),
                Is.Not.Null, "tags with dashes are tags, not requirement ids");
        });
    }

    [Test]
    public void Describe_lists_the_entries_and_the_catalogue_defaults_left_in_force()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RequirementPolicy.Default.Describe(),
                Is.EqualTo("every requirement required; catalogue defaults: smart-token-expires-in=warn " +
                           "(smart-token-expires-in is SHOULD in SMART App Launch 2.1.0, App Launch: Obtain access token); " +
                           "us-core-patient-profile=warn (us-core-patient-profile is SHOULD in CARIN Digital Insurance Card 1.0.0, " +
                           "C4DIC Patient: derived from base Patient, not US Core Patient); c4dic-must-support=warn " +
                           "(c4dic-must-support is demonstrated by the member's data: an element it leaves out is not demonstrated, not failed)"));
            Assert.That(RequirementPolicy.Parse("smart-token-expires-in=off;c4dic-must-support=warn;@coverage=off").Describe(),
                Does.StartWith("c4dic-must-support=warn;smart-token-expires-in=off;@coverage=off; catalogue defaults: us-core-patient-profile=warn ")
                    .And.Not.Contain("smart-token-expires-in=warn"));
        });
    }

    [Test]
    public void The_setting_is_bound_from_DIC_POLICY_or_the_policy_parameter()
    {
        var fromEnvironment = SettingsBinder.Bind(new Dictionary<string, string?>(), new Dictionary<string, string?> { ["DIC_POLICY"] = "c4dic-must-support=warn" });
        var fromParameter = SettingsBinder.Bind(new Dictionary<string, string?> { ["policy"] = "@coverage=off" }, new Dictionary<string, string?>());
        var unset = SettingsBinder.Bind(new Dictionary<string, string?>(), new Dictionary<string, string?>());

        Assert.Multiple(() =>
        {
            Assert.That(fromEnvironment.Policy.Decide("c4dic-must-support", NoTags).Level, Is.EqualTo(RequirementLevel.Warn));
            Assert.That(fromParameter.Policy.Decide("c4dic-coverage-profile", ["coverage"]).Level, Is.EqualTo(RequirementLevel.Off));
            Assert.That(unset.Policy.IsDefault, Is.True);
            Assert.That(SettingsBinder.KnownParameters, Does.Contain("policy"));
        });
    }

    [Test]
    public void A_malformed_setting_is_one_line_naming_the_setting_the_entry_and_where_to_fix_it()
    {
        var error = Assert.Throws<SettingsException>(() =>
            SettingsBinder.Bind(new Dictionary<string, string?>(), new Dictionary<string, string?> { ["DIC_POLICY"] = "c4dic-must-support=warn;smart-token-expires-in=sometimes" }));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith("Setting 'policy' has the value 'c4dic-must-support=warn;smart-token-expires-in=sometimes', but it must be a list of entries"));
            Assert.That(error.Message, Does.Contain("the entry 'smart-token-expires-in=sometimes' has the level 'sometimes'"));
            Assert.That(error.Message, Does.EndWith("Fix runsettings parameter 'policy' or environment variable DIC_POLICY."));
            Assert.That(error.Message, Does.Not.Contain("\n"));
        });
    }
}
