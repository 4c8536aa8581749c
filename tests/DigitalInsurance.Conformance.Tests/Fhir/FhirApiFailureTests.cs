using System.Net;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Fhir;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Fhir;

/// <summary>How FhirApi reports a server that does not answer in time (to the rule it is given) and one that cannot be reached (broken).</summary>
public sealed class FhirApiFailureTests
{
    [Test]
    public void A_request_the_server_does_not_answer_in_time_fails_the_response_time_rule()
    {
        using var http = new HttpClient(new NeverAnswers()) { Timeout = TimeSpan.FromSeconds(1) };
        // As a scenario wires it (ConformanceScenario.FhirApiWith): the client reports the unanswered request, the rule judges it.
        var api = new FhirApi(http, new Uri("http://127.0.0.1:9/r4"), new ResponseTimeRules(Checks.TestChecks.Default()).FailNoAnswer);

        var failure = Assert.ThrowsAsync<ConformanceFailure>(() => api.GetAsync("Patient?name=x"));

        Assert.That(failure!.Message, Does.StartWith("[fhir-response-time] GET /r4/Patient?name=x must be answered within 1 s (httpTimeoutSeconds)."));
        Assert.That(failure.Message, Does.Contain("did not answer within"));
    }

    [Test]
    public void A_request_cancelled_by_the_caller_is_not_blamed_on_the_server()
    {
        using var http = new HttpClient(new NeverAnswers()) { Timeout = TimeSpan.FromMinutes(5) };
        var api = new FhirApi(http, new Uri("http://127.0.0.1:9/r4"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        Assert.CatchAsync<OperationCanceledException>(() => api.GetAsync("Patient", cancel.Token));
    }

    [Test]
    public void A_server_that_cannot_be_reached_is_reported_with_the_setting_to_check()
    {
        using var http = new HttpClient(new Refuses());
        var api = new FhirApi(http, new Uri("http://127.0.0.1:9/r4"));

        var error = Assert.ThrowsAsync<FhirUnreachableException>(() => api.GetAsync("Coverage"));

        Assert.That(error!.Message, Is.EqualTo(
            "GET http://127.0.0.1:9/r4/Coverage could not be reached: Connection refused (127.0.0.1:9). " +
            "Check fhirBaseUrl (DIC_FHIR_BASE_URL) and that the server is up."));
    }

    private sealed class NeverAnswers : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    private sealed class Refuses : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Connection refused (127.0.0.1:9)");
    }
}
