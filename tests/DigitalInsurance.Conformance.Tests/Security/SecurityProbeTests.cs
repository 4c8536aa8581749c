using System.Net;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Tests.Configuration;
using DigitalInsurance.Conformance.Support.Redaction;
using DigitalInsurance.Conformance.Support.Rules;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Security;

public class SecurityProbeTests
{
    [TestCase("aaa.bbb.cccccccccc")]
    [TestCase("opaque-token-without-dots")]
    [TestCase("x")]
    public void An_altered_token_differs_in_one_character_inside_its_last_part(string token)
    {
        var altered = UnauthenticatedRequestRules.Altered(token);
        var differing = Enumerable.Range(0, token.Length).Where(i => token[i] != altered[i]).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(altered, Has.Length.EqualTo(token.Length));
            Assert.That(differing, Has.Count.EqualTo(1));
            Assert.That(differing[0], Is.GreaterThan(token.LastIndexOf('.')), "the change is in the signature part");
            Assert.That(differing[0], Is.LessThan(token.Length - 1).Or.EqualTo(0), "not the last character, which may carry only padding bits");
        });
    }

    [Test]
    public void An_altered_token_is_redacted_like_the_token_itself()
    {
        var altered = UnauthenticatedRequestRules.Altered("header.payload.signature-that-is-secret");
        Assert.That(Secrets.Redact($"Bearer {altered}"), Does.Not.Contain(altered));
    }

    [TestCase("patient/*.read", false)]
    [TestCase("patient/Coverage.read", false)]
    [TestCase("patient/Coverage.rs", false)]
    [TestCase("openid", false)]
    [TestCase("fhirUser", false)]
    [TestCase("launch/patient", false)]
    [TestCase("patient/*.write", true)]
    [TestCase("patient/*.*", true)]
    [TestCase("user/Patient.cruds", true)]
    [TestCase("patient/Coverage.u", true)]
    [TestCase("patient/Coverage.rs?status=active", false)]
    public void Write_grants_are_recognised_in_SMART_v1_and_v2_scopes(string scope, bool grantsWrites) =>
        Assert.That(ReadOnlyRules.GrantsWrites(scope), Is.EqualTo(grantsWrites));

    [Test]
    public void Changed_elements_name_the_top_level_elements_that_differ() => Assert.Multiple(() =>
    {
        Assert.That(ReadOnlyRules.ChangedElements("""{"id":"1","name":[{"family":"A"}],"meta":{"versionId":"1"}}""",
            """{"id":"1","name":[{"family":"B"}],"meta":{"versionId":"2"}}"""), Is.EqualTo("elements name, meta"));
        Assert.That(ReadOnlyRules.ChangedElements("""{"id":"1"}""", """{ "id" : "1" }"""), Is.EqualTo("only in formatting"));
        Assert.That(ReadOnlyRules.ChangedElements("""{"id":"1"}""", """{"id":"1","active":true}"""), Is.EqualTo("elements active"));
    });

    // The verdict on a recorded attempt reads no scenario state.
    private static ReadOnlyRules Rules() => new(scenario: null!, DigitalInsurance.Conformance.Tests.Checks.TestChecks.Default());

    private static WriteAttempt Attempt(HttpStatusCode status) =>
        new("DELETE Coverage/c1", new FhirResponse(HttpMethod.Delete, new Uri("https://fhir.example/r4/Coverage/c1"), status, null,
            new Dictionary<string, string>(), ""), Change: null, Restoration: null);

    [TestCase(HttpStatusCode.Unauthorized)]
    [TestCase(HttpStatusCode.Forbidden)]
    [TestCase(HttpStatusCode.MethodNotAllowed)]
    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.NotFound)]
    [TestCase(HttpStatusCode.NotImplemented)]
    public void A_write_refused_by_the_server_or_a_gateway_passes(HttpStatusCode status) =>
        Assert.DoesNotThrow(() => Rules().RequireRefused(Attempt(status)));

    [TestCase(HttpStatusCode.PreconditionFailed, "evaluated the write's precondition")]
    [TestCase(HttpStatusCode.Conflict, "evaluated the write's precondition")]
    [TestCase(HttpStatusCode.NoContent, "204")]
    [TestCase(HttpStatusCode.OK, "200")]
    public void A_write_the_server_processed_fails_naming_the_read_only_rule(HttpStatusCode status, string observed)
    {
        var failure = Assert.Throws<ConformanceFailure>(() => Rules().RequireRefused(Attempt(status)))!;
        Assert.That(failure.Message, Does.StartWith("[fhir-read-only] DELETE Coverage/c1 with a read-only token must be refused").And.Contain(observed));
    }

    [Test]
    public void The_create_probe_is_not_sent_to_an_external_payer_unless_its_data_may_change()
    {
        var external = SettingsBinder.Bind(SettingsBinderTests.CompleteExternal, SettingsBinderTests.ExternalSecrets);
        var skip = Assert.Throws<IgnoreException>(() => ReadOnlyRules.RequireCreateMayBeSent(external))!;
        Assert.That(skip.Message, Does.StartWith("Not probed [fhir-read-only]").And.Contain("allowDataChangingProbes=true").And.Contain("DIC_ALLOW_DATA_CHANGING_PROBES"));
    }

    [Test]
    public void The_create_probe_is_sent_to_an_external_payer_that_opted_in_and_to_the_embedded_sandbox()
    {
        var optedIn = SettingsBinder.Bind(SettingsBinderTests.CompleteExternal,
            new Dictionary<string, string?>(SettingsBinderTests.ExternalSecrets) { ["DIC_ALLOW_DATA_CHANGING_PROBES"] = "true" });
        var sandbox = SettingsBinder.Bind(new Dictionary<string, string?>(), new Dictionary<string, string?>());
        Assert.Multiple(() =>
        {
            Assert.That(optedIn.AllowDataChangingProbes, Is.True);
            Assert.That(sandbox.AllowDataChangingProbes, Is.False, "off by default");
            Assert.DoesNotThrow(() => ReadOnlyRules.RequireCreateMayBeSent(optedIn));
            Assert.DoesNotThrow(() => ReadOnlyRules.RequireCreateMayBeSent(sandbox));
        });
    }
}
