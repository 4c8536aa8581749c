using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using DigitalInsurance.Conformance.Support.Http;
using DigitalInsurance.Conformance.Support.Redaction;
using DigitalInsurance.Conformance.Support.Reporting;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Http;

public class RecordingHttpHandlerTests
{
    /// <summary>Answers every request with one canned response, keeping what it received.</summary>
    private sealed class CannedServer(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public string? ReceivedBody { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null) ReceivedBody = await request.Content.ReadAsStringAsync(cancellationToken);
            var response = answer(request);
            response.RequestMessage = request;
            return response;
        }
    }

    private static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK, string mediaType = "application/fhir+json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    [Test]
    public async Task A_json_response_is_recorded_indented_and_the_caller_still_reads_the_body()
    {
        var evidence = new ScenarioEvidence();
        var server = new CannedServer(_ => Json("""{"resourceType":"Bundle","type":"searchset","total":1}"""));
        using var client = new HttpClient(new RecordingHttpHandler(evidence, server));

        using var response = await client.GetAsync("http://payer.example/r4/Coverage?patient=123");
        var body = await response.Content.ReadAsStringAsync();

        var attachment = evidence.All.Single();
        var text = Encoding.UTF8.GetString(attachment.Content);
        Assert.Multiple(() =>
        {
            Assert.That(body, Is.EqualTo("""{"resourceType":"Bundle","type":"searchset","total":1}"""), "the caller's body is intact");
            Assert.That(attachment.Title, Is.EqualTo("GET /r4/Coverage?patient=123 → 200"));
            Assert.That(attachment.MediaType, Is.EqualTo("text/plain"));
            Assert.That(text, Does.StartWith("GET http://payer.example/r4/Coverage?patient=123\n→ 200 OK"));
            Assert.That(text, Does.Contain("Response body (application/fhir+json; charset=utf-8, 54 bytes)\n{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"searchset\","));
        });
    }

    [Test]
    public async Task A_malformed_json_body_is_shown_as_received()
    {
        var evidence = new ScenarioEvidence();
        const string broken = """{"resourceType":"Patient","name":[{"family":"Argonaut"}""";
        using var client = new HttpClient(new RecordingHttpHandler(evidence, new CannedServer(_ => Json(broken))));

        await client.GetAsync("http://payer.example/r4/Patient/1");

        var text = Encoding.UTF8.GetString(evidence.All.Single().Content);
        Assert.That(text, Does.Contain("(not valid JSON; shown as received)\n" + broken));
    }

    [Test]
    public async Task A_body_over_a_megabyte_is_cut_in_the_evidence_but_kept_whole_in_the_exchange()
    {
        var evidence = new ScenarioEvidence();
        var large = new string('a', 1024 * 1024 + 10);
        var handler = new RecordingHttpHandler(evidence, new CannedServer(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(large) }));
        using var client = new HttpClient(handler);

        await client.GetAsync("http://payer.example/big");

        var text = Encoding.UTF8.GetString(evidence.All.Single().Content);
        Assert.That(text, Does.Contain("… truncated: first 1,048,576 of 1,048,586 bytes shown"));
        Assert.That(text.Length, Is.LessThan(1024 * 1024 + 2000));
        Assert.That(handler.LastExchange!.ResponseBody, Has.Length.EqualTo(1024 * 1024 + 10));
    }

    [Test]
    public async Task Credential_headers_are_hidden_but_keep_their_scheme()
    {
        var evidence = new ScenarioEvidence();
        var server = new CannedServer(_ =>
        {
            var response = Json("{}", mediaType: "application/json");
            response.Headers.Add("Set-Cookie", "session=abc123; HttpOnly");
            return response;
        });
        using var client = new HttpClient(new RecordingHttpHandler(evidence, server));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://payer.example/r4/Patient");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "opaque-" + Guid.NewGuid().ToString("N"));
        request.Headers.Add("Cookie", "idsrv=xyz");

        await client.SendAsync(request);

        var text = Encoding.UTF8.GetString(evidence.All.Single().Content);
        Assert.That(text, Does.Contain("Authorization: Bearer [redacted credentials]")
            .And.Contain("Cookie: [redacted credentials]")
            .And.Contain("Set-Cookie: [redacted credentials]"));
        Assert.That(text, Does.Not.Contain("opaque-").And.Not.Contain("xyz").And.Not.Contain("abc123"));
    }

    [Test]
    public async Task A_token_request_form_is_shown_field_by_field_with_credentials_hidden_and_the_response_token_redacted()
    {
        var evidence = new ScenarioEvidence();
        var accessToken = "at-" + Guid.NewGuid().ToString("N");
        var server = new CannedServer(_ => Json($$"""{"access_token":"{{accessToken}}","token_type":"Bearer","patient":"123"}""", mediaType: "application/json"));
        var handler = new RecordingHttpHandler(evidence, server);
        using var client = new HttpClient(handler);
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = "Spl xl+OB", ["client_id"] = "dic-app",
            ["client_secret"] = "s3cr3t value", ["redirect_uri"] = "http://127.0.0.1:7000/callback",
        });

        using var response = await client.PostAsync("http://auth.example/oauth2/token", form);

        var text = Encoding.UTF8.GetString(evidence.All.Single().Content);
        Assert.Multiple(() =>
        {
            Assert.That(server.ReceivedBody, Does.Contain("client_secret=s3cr3t+value"), "the server got the real form");
            Assert.That(text, Does.Contain("  grant_type = authorization_code\n  code = [redacted code]\n  client_id = dic-app\n  client_secret = [redacted client secret]\n  redirect_uri = http://127.0.0.1:7000/callback\n"));
            Assert.That(text, Does.Contain("\"access_token\": \"[redacted access token]\""));
            Assert.That(text, Does.Not.Contain(accessToken).And.Not.Contain("s3cr3t").And.Not.Contain("xl+OB"));
            Assert.That(handler.LastExchange!.ResponseBodyText, Does.Contain(accessToken), "steps still read the real token");
            Assert.That(handler.LastExchange!.ToString(), Is.EqualTo("POST /oauth2/token → 200"));
        });
    }

    [Test]
    public async Task A_redirect_with_a_code_in_its_url_is_titled_without_the_code()
    {
        var evidence = new ScenarioEvidence();
        using var client = new HttpClient(new RecordingHttpHandler(evidence, new CannedServer(_ => new HttpResponseMessage(HttpStatusCode.NotFound))));

        await client.GetAsync("http://127.0.0.1:7000/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj");

        Assert.That(evidence.All.Single().Title, Is.EqualTo("GET /callback?code=[redacted code]&state=af0ifjsldkj → 404"));
    }

    [Test]
    public void A_failed_connection_is_recorded_and_the_error_still_reaches_the_caller()
    {
        var evidence = new ScenarioEvidence();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var handler = new RecordingHttpHandler(evidence);
        using var client = new HttpClient(handler);

        Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://127.0.0.1:{port}/r4/metadata"));

        var exchange = handler.LastExchange!;
        Assert.That(exchange.Status, Is.Null);
        Assert.That(exchange.Error, Does.StartWith("HttpRequestException: "));
        Assert.That(evidence.All.Single().Title, Is.EqualTo("GET /r4/metadata → no response"));
    }

    [Test]
    public async Task Over_real_http_the_exchange_list_keeps_every_answer_in_order()
    {
        using var server = new HttpListener();
        var port = LoopbackPorts.Free();
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        var serving = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                var context = await server.GetContextAsync();
                var bytes = Encoding.UTF8.GetBytes(i == 0 ? """{"resourceType":"Patient","id":"1"}""" : "not json at all");
                context.Response.ContentType = i == 0 ? "application/fhir+json" : "text/plain";
                context.Response.StatusCode = i == 0 ? 200 : 500;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
        var current = new ScenarioEvidence();
        var handler = new RecordingHttpHandler(() => current);
        using var client = new HttpClient(handler);

        var patient = await client.GetStringAsync($"http://127.0.0.1:{port}/r4/Patient/1");
        using var error = await client.GetAsync($"http://127.0.0.1:{port}/r4/Patient/2");
        await serving;

        Assert.Multiple(() =>
        {
            Assert.That(patient, Is.EqualTo("""{"resourceType":"Patient","id":"1"}"""));
            Assert.That(handler.Exchanges.Select(e => e.Status), Is.EqualTo(new HttpStatusCode?[] { HttpStatusCode.OK, HttpStatusCode.InternalServerError }));
            Assert.That(handler.LastExchange!.ResponseBodyText, Is.EqualTo("not json at all"));
            Assert.That(handler.LastExchange!.ResponseHeader("content-type"), Is.EqualTo("text/plain"));
            Assert.That(current.All.Select(e => e.Title), Is.EqualTo(new[] { "GET /r4/Patient/1 → 200", "GET /r4/Patient/2 → 500" }));
        });
    }

    [Test]
    public async Task Exchanges_outside_a_scenario_are_kept_but_attached_nowhere()
    {
        var handler = new RecordingHttpHandler(() => null, new CannedServer(_ => Json("{}")));
        using var client = new HttpClient(handler);

        await client.GetAsync("http://payer.example/.well-known/smart-configuration");

        Assert.That(handler.Exchanges, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Disposing_the_client_leaves_a_shared_inner_handler_usable()
    {
        var shared = new CannedServer(_ => Json("{}"));
        using (var first = new HttpClient(new RecordingHttpHandler(new ScenarioEvidence(), shared)))
            await first.GetAsync("http://payer.example/a");
        using var second = new HttpClient(new RecordingHttpHandler(new ScenarioEvidence(), shared));

        using var response = await second.GetAsync("http://payer.example/b");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_secret_registered_before_the_request_never_reaches_the_evidence()
    {
        var code = "code-" + Guid.NewGuid().ToString("N");
        Secrets.Register(code, "authorization code");
        var evidence = new ScenarioEvidence();
        using var client = new HttpClient(new RecordingHttpHandler(evidence, new CannedServer(_ => Json($$"""{"echo":"{{code}}"}""", mediaType: "application/json"))));

        await client.PostAsync("http://auth.example/echo", new StringContent($"{{\"sent\":\"{code}\"}}", Encoding.UTF8, "application/json"));

        var item = evidence.All.Single();
        Assert.That(Encoding.UTF8.GetString(item.Content) + item.Title, Does.Not.Contain(code));
    }
}
