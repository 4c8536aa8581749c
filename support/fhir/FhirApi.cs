using System.Net.Http.Headers;
using System.Text;

namespace DigitalInsurance.Conformance.Support.Fhir;

/// <summary>
/// The app's view of the payer's FHIR API: plain HTTP with the member's bearer token, every exchange kept.
/// Deliberately thin: checks need the raw answer, including the malformed ones a FHIR client library would hide.
/// </summary>
/// <param name="whenUnanswered">
/// Told of a request the server did not answer within the client's timeout, before the request is given up; the
/// scenario's rules judge it (it must not return). Null: the timeout propagates as it is.
/// </param>
public sealed class FhirApi(HttpClient http, Uri baseUrl, Action<FhirNoAnswer>? whenUnanswered = null)
{
    public const string FhirJson = "application/fhir+json";

    public Uri BaseUrl { get; } = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    /// <summary>The bearer token sent with each request; null sends none.</summary>
    public string? AccessToken { get; set; }

    public Task<FhirResponse> GetAsync(string relativeOrAbsolute, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, relativeOrAbsolute, body: null, cancellationToken);

    public async Task<FhirResponse> SendAsync(HttpMethod method, string relativeOrAbsolute, string? body, CancellationToken cancellationToken = default)
    {
        var uri = Resolve(relativeOrAbsolute);
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirJson));
        if (AccessToken is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, FhirJson);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A server that does not answer in time breaks the app's use of it: a failed verdict about the server, not a
            // broken run, and it must stop the step that sent the request, so the judge is told here rather than handed a response.
            whenUnanswered?.Invoke(new FhirNoAnswer(method, uri, http.Timeout));
            throw;
        }
        catch (HttpRequestException e)
        {
            throw new FhirUnreachableException(
                $"{method} {uri} could not be reached: {e.Message}. Check fhirBaseUrl (DIC_FHIR_BASE_URL) and that the server is up.", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var headers = response.Headers.Concat(response.Content.Headers)
                .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
            return new FhirResponse(method, uri, response.StatusCode, response.Content.Headers.ContentType?.MediaType, headers, text);
        }
    }

    /// <summary>Resolves "Patient/123", "Coverage?patient=1" or an absolute URL (e.g. a Bundle's next link) against the base.</summary>
    public Uri Resolve(string relativeOrAbsolute) =>
        Uri.TryCreate(relativeOrAbsolute, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? absolute
            : new Uri(BaseUrl, relativeOrAbsolute.TrimStart('/'));
}

/// <summary>A request the server did not answer within the client's timeout (httpTimeoutSeconds).</summary>
public sealed record FhirNoAnswer(HttpMethod Method, Uri Uri, TimeSpan Timeout);

/// <summary>The FHIR server could not be reached at all (connection refused, DNS, TLS): nothing about it could be judged.</summary>
public sealed class FhirUnreachableException(string message, Exception inner) : Exception(message, inner);
