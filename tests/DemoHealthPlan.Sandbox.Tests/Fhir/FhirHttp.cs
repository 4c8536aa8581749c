using NUnit.Framework;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DemoHealthPlan.Sandbox.Fhir.Data;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

/// <summary>An answer of the FHIR API, kept raw (status, headers, text) so tests can also judge broken answers.</summary>
internal sealed record FhirReply(HttpStatusCode Status, string? ContentType, string Body, HttpResponseHeaders Headers, IReadOnlyCollection<string> Allow)
{
    public Resource Resource => FhirJson.TryParse(Body, out var resource, out var problem)
        ? resource!
        : throw new AssertionException($"The answer ({(int)Status}) is not a FHIR resource: {problem}\n{Body}");

    public Bundle Bundle => Resource as Bundle ?? throw new AssertionException($"Expected a Bundle, got {Resource.TypeName}: {Body}");

    public OperationOutcome Outcome => Resource as OperationOutcome ?? throw new AssertionException($"Expected an OperationOutcome, got {Body}");

    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public override string ToString() => $"{(int)Status} {ContentType}";
}

/// <summary>A FHIR client as a payer app would be: the sandbox's FHIR base URL and (maybe) a bearer token.</summary>
internal sealed class FhirHttp(Uri fhirBase, string? accessToken, TimeSpan? timeout = null) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    public Uri FhirBase { get; } = fhirBase;

    /// <param name="relative">Relative to the FHIR base ("Patient?name=x"), or an absolute URL (a next link).</param>
    public Task<FhirReply> GetAsync(string relative, string? accept = null) => SendAsync(HttpMethod.Get, relative, accept: accept);

    public Task<FhirReply> PostSearchAsync(string type, IEnumerable<KeyValuePair<string, string>> form) =>
        SendAsync(HttpMethod.Post, $"{type}/_search", new FormUrlEncodedContent(form));

    public Task<FhirReply> SendJsonAsync(HttpMethod method, string relative, string? json) =>
        SendAsync(method, relative, json is null ? null : new StringContent(json, Encoding.UTF8, FhirJson.MediaType));

    public async Task<FhirReply> SendAsync(HttpMethod method, string relative, HttpContent? content = null, string? accept = null, CancellationToken cancellation = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(FhirBase, relative)) { Content = content };
        if (accessToken is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.ParseAdd(accept ?? FhirJson.MediaType);
        using var response = await _http.SendAsync(request, cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        return new FhirReply(response.StatusCode, response.Content.Headers.ContentType?.ToString(), body, response.Headers, response.Content.Headers.Allow.ToList());
    }

    public void Dispose() => _http.Dispose();
}
