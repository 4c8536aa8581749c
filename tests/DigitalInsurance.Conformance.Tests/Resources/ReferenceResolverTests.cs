using System.Net;
using System.Text;
using DigitalInsurance.Conformance.Support.Fhir;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Resources;

/// <summary>How references are followed: contained, relative, absolute under the FHIR base; and why one is not.</summary>
public sealed class ReferenceResolverTests
{
    private const string Base = "http://fhir.test/r4/";

    private static readonly Dictionary<string, string> Served = new()
    {
        ["/r4/Patient/jason-argonaut"] = SandboxData.Resource("Patient/jason-argonaut").ToJsonString(),
        ["/r4/Patient/jason-argonaut/_history/1"] = SandboxData.Resource("Patient/jason-argonaut").ToJsonString(),
        ["/r4/Organization/demo-health-plan"] = SandboxData.Resource("Organization/demo-health-plan").ToJsonString(),
        // A server answering a read with a different resource than asked for.
        ["/r4/Patient/someone-else"] = SandboxData.Resource("Patient/jessica-argonaut").ToJsonString(),
    };

    private FakeFhirServer _server = null!;
    private HttpClient _http = null!;
    private FhirConversation _fhir = null!;

    [SetUp]
    public void Start()
    {
        _server = new FakeFhirServer(Served);
        _http = new HttpClient(_server);
        _fhir = new FhirConversation(new FhirApi(_http, new Uri(Base)) { AccessToken = "member-token" });
    }

    [TearDown]
    public void Stop() => _http.Dispose();

    private static ReceivedResource Coverage(Action<System.Text.Json.Nodes.JsonObject>? change = null)
    {
        var json = SandboxData.Resource("Coverage/coverage-jason-medical");
        change?.Invoke(json);
        var text = json.ToJsonString();
        return new ReceivedResource(LenientFhir.Parse(text), text, new Uri(Base + "Coverage"));
    }

    [Test]
    public async System.Threading.Tasks.Task Relative_references_are_read_once_with_the_members_token()
    {
        var coverages = new[] { Coverage(), Coverage() };

        var resolved = await new ReferenceResolver(_fhir).ResolveAllAsync(coverages, "Coverage.payor");

        Assert.Multiple(() =>
        {
            Assert.That(resolved.Select(r => r.Target?.Reference), Is.EqualTo(new[] { "Organization/demo-health-plan", "Organization/demo-health-plan" }));
            Assert.That(resolved.Select(r => r.Form), Has.All.EqualTo(ReferenceForm.Relative));
            Assert.That(_server.Requests, Is.EqualTo(new[] { "GET /r4/Organization/demo-health-plan Bearer member-token" }));
        });
    }

    [Test]
    public async System.Threading.Tasks.Task Absolute_references_under_the_fhir_base_and_versioned_ones_are_read()
    {
        var coverage = Coverage(c =>
        {
            c["beneficiary"]!["reference"] = Base + "Patient/jason-argonaut";
            c["subscriber"]!["reference"] = "Patient/jason-argonaut/_history/1";
        });
        var resolver = new ReferenceResolver(_fhir);

        var beneficiary = (await resolver.ResolveAllAsync([coverage], "Coverage.beneficiary")).Single();
        var subscriber = (await resolver.ResolveAllAsync([coverage], "Coverage.subscriber")).Single();

        Assert.Multiple(() =>
        {
            Assert.That(beneficiary.Form, Is.EqualTo(ReferenceForm.Absolute));
            Assert.That(beneficiary.Target?.Reference, Is.EqualTo("Patient/jason-argonaut"));
            Assert.That(subscriber.Target?.Reference, Is.EqualTo("Patient/jason-argonaut"));
            Assert.That(_server.Requests, Is.EqualTo(new[]
            {
                "GET /r4/Patient/jason-argonaut Bearer member-token", "GET /r4/Patient/jason-argonaut/_history/1 Bearer member-token",
            }));
        });
    }

    [Test]
    public async System.Threading.Tasks.Task Contained_references_resolve_to_the_contained_resource_as_the_server_wrote_it()
    {
        var coverage = Coverage(c =>
        {
            var payer = SandboxData.Resource("Organization/demo-health-plan");
            payer["id"] = "payer";
            c["contained"] = new System.Text.Json.Nodes.JsonArray(payer);
            c["payor"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["reference"] = "#payer" });
        });

        var payor = (await new ReferenceResolver(_fhir).ResolveAllAsync([coverage], "Coverage.payor")).Single();

        Assert.Multiple(() =>
        {
            Assert.That(payor.Form, Is.EqualTo(ReferenceForm.Contained));
            Assert.That(payor.Target?.Reference, Is.EqualTo("Organization/payer"));
            Assert.That(payor.Target?.Json, Does.StartWith("{\"resourceType\":\"Organization\",\"id\":\"payer\""));
            Assert.That(_server.Requests, Is.Empty);
        });
    }

    [Test]
    public async System.Threading.Tasks.Task An_absolute_reference_to_another_server_is_unresolved_and_gets_no_token()
    {
        var coverage = Coverage(c => c["beneficiary"]!["reference"] = "https://elsewhere.example/fhir/Patient/jason-argonaut");

        var beneficiary = (await new ReferenceResolver(_fhir).ResolveAllAsync([coverage], "Coverage.beneficiary")).Single();

        Assert.Multiple(() =>
        {
            Assert.That(beneficiary.Resolved, Is.False);
            Assert.That(beneficiary.Problem, Is.EqualTo("it points outside the FHIR server under test (http://fhir.test/r4/), where the member's token is not sent"));
            Assert.That(_server.Requests, Is.Empty);
        });
    }

    [Test]
    public async System.Threading.Tasks.Task References_that_cannot_be_followed_say_why()
    {
        var coverages = new[]
        {
            Coverage(c => c.Remove("beneficiary")),
            Coverage(c => c["beneficiary"] = new System.Text.Json.Nodes.JsonObject { ["display"] = "Jason Argonaut" }),
            Coverage(c => c["beneficiary"]!["reference"] = "Patient/nobody"),
            Coverage(c => c["beneficiary"]!["reference"] = "Patient/someone-else"),
            Coverage(c => c["beneficiary"]!["reference"] = "#missing"),
            Coverage(c => c["beneficiary"]!["reference"] = "urn:uuid:6e5a1f9e-8a0e-4d39-9a43-2b8f4c1b7d10"),
            Coverage(c => c["beneficiary"]!["reference"] = "jason"),
        };

        var resolved = await new ReferenceResolver(_fhir).ResolveAllAsync(coverages, "Coverage.beneficiary");

        Assert.That(resolved.Select(r => r.ToString()), Is.EqualTo(new[]
        {
            "Coverage.beneficiary of Coverage/coverage-jason-medical (no reference): unresolved, Coverage/coverage-jason-medical has no Coverage.beneficiary",
            "Coverage.beneficiary of Coverage/coverage-jason-medical (no reference): unresolved, it has only an identifier or display, no reference the app can follow",
            "Coverage.beneficiary of Coverage/coverage-jason-medical (Patient/nobody): unresolved, reading it with the member's token: GET /r4/Patient/nobody answered 404 NotFound (application/fhir+json)",
            "Coverage.beneficiary of Coverage/coverage-jason-medical (Patient/someone-else): unresolved, reading it returned Patient/jessica-argonaut instead",
            "Coverage.beneficiary of Coverage/coverage-jason-medical (#missing): unresolved, Coverage/coverage-jason-medical contains no resource with id \"missing\"",
            "Coverage.beneficiary of Coverage/coverage-jason-medical (urn:uuid:6e5a1f9e-8a0e-4d39-9a43-2b8f4c1b7d10): unresolved, a urn: reference cannot be read from a FHIR server",
            "Coverage.beneficiary of Coverage/coverage-jason-medical (jason): unresolved, it is not a FHIR reference (Type/id, an absolute URL of the FHIR server or #id of a contained resource)",
        }));
    }

    /// <summary>Parses leniently, as the harness does: a Coverage missing a required element is still a Coverage.</summary>
    internal static class LenientFhir
    {
        private static readonly FhirJsonDeserializer Lenient = new(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable));

        public static Resource Parse(string json) =>
            Lenient.TryDeserializeResource(json, out var resource, out _) || resource is not null ? resource! : throw new ArgumentException("not a FHIR resource", nameof(json));
    }

    /// <summary>Serves canned resources by path (404 otherwise) and records each request with its authorization.</summary>
    internal sealed class FakeFhirServer(IReadOnlyDictionary<string, string> resources) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override System.Threading.Tasks.Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add($"{request.Method} {request.RequestUri!.AbsolutePath} {request.Headers.Authorization}");
            var response = resources.TryGetValue(request.RequestUri.AbsolutePath, out var body)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/fhir+json") }
                : new HttpResponseMessage(HttpStatusCode.NotFound)
                {
                    Content = new StringContent("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}""", Encoding.UTF8, "application/fhir+json"),
                };
            return System.Threading.Tasks.Task.FromResult(response);
        }
    }
}
