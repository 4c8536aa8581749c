using System.Diagnostics;
using DigitalInsurance.Conformance.Support.Reporting;

namespace DigitalInsurance.Conformance.Support.Http;

/// <summary>
/// Records every exchange that passes through it: as a redacted text attachment on the scenario's evidence (shown
/// under the step that made the request) and as a <see cref="RecordedExchange"/> for steps that need the last
/// response. Bodies are buffered, not consumed: the caller reads the response content as usual.
/// </summary>
/// <remarks>
/// Typical use, one per scenario over a shared connection pool:
/// <c>new HttpClient(new RecordingHttpHandler(evidence, sharedSocketsHandler), disposeHandler: false)</c> — the
/// handler never disposes a handler it was given. For a run-wide client pass a function returning the current
/// scenario's evidence; exchanges made outside a scenario are kept but attached nowhere.
/// </remarks>
public sealed class RecordingHttpHandler : DelegatingHandler
{
    /// <summary>How many exchanges are kept in <see cref="Exchanges"/>; older ones are dropped.</summary>
    public const int MaxKeptExchanges = 500;

    private readonly Func<ScenarioEvidence?> _evidence;
    private readonly bool _ownsInner;
    private readonly Lock _gate = new();
    private readonly Queue<RecordedExchange> _exchanges = new();

    public RecordingHttpHandler(ScenarioEvidence evidence, HttpMessageHandler? innerHandler = null)
        : this(() => evidence, innerHandler)
    {
        ArgumentNullException.ThrowIfNull(evidence);
    }

    /// <param name="evidence">The evidence of the scenario running now, or null outside scenarios.</param>
    /// <param name="innerHandler">Where requests go; null: a new <see cref="SocketsHttpHandler"/> owned by this handler.</param>
    public RecordingHttpHandler(Func<ScenarioEvidence?> evidence, HttpMessageHandler? innerHandler = null)
        : base(innerHandler ?? new SocketsHttpHandler())
    {
        _evidence = evidence ?? throw new ArgumentNullException(nameof(evidence));
        _ownsInner = innerHandler is null;
    }

    /// <summary>Exchanges recorded by this handler, oldest first (at most <see cref="MaxKeptExchanges"/>).</summary>
    public IReadOnlyList<RecordedExchange> Exchanges
    {
        get { lock (_gate) return _exchanges.ToList(); }
    }

    public RecordedExchange? LastExchange
    {
        get { lock (_gate) return _exchanges.LastOrDefault(); }
    }

    /// <summary>Raised after each exchange is recorded (on the requesting thread).</summary>
    public event Action<RecordedExchange>? Recorded;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        byte[]? requestBody = null;
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken);
            requestBody = await request.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        var requestHeaders = Headers(request.Headers, request.Content?.Headers);

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e)
        {
            Record(new RecordedExchange
            {
                Method = request.Method,
                RequestUri = request.RequestUri!,
                RequestHeaders = requestHeaders,
                RequestContentType = request.Content?.Headers.ContentType?.ToString(),
                RequestBody = requestBody,
                Error = Describe(e),
                StartedAt = startedAt,
                Duration = clock.Elapsed,
            });
            throw;
        }

        byte[]? responseBody = null;
        if (response.Content is not null)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            responseBody = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        Record(new RecordedExchange
        {
            Method = request.Method,
            // After redirects the response's request is the last hop; that is the URL the answer came from.
            RequestUri = response.RequestMessage?.RequestUri ?? request.RequestUri!,
            RequestHeaders = requestHeaders,
            RequestContentType = request.Content?.Headers.ContentType?.ToString(),
            RequestBody = requestBody,
            Status = response.StatusCode,
            ReasonPhrase = response.ReasonPhrase,
            ResponseHeaders = Headers(response.Headers, response.Content?.Headers),
            ResponseContentType = response.Content?.Headers.ContentType?.ToString(),
            ResponseBody = responseBody,
            StartedAt = startedAt,
            Duration = clock.Elapsed,
        });
        return response;
    }

    private void Record(RecordedExchange exchange)
    {
        lock (_gate)
        {
            _exchanges.Enqueue(exchange);
            while (_exchanges.Count > MaxKeptExchanges) _exchanges.Dequeue();
        }
        _evidence()?.AddText(exchange.Title, "text/plain", "txt", exchange.Describe());
        Recorded?.Invoke(exchange);
    }

    private static List<KeyValuePair<string, string>> Headers(
        System.Net.Http.Headers.HttpHeaders headers, System.Net.Http.Headers.HttpContentHeaders? contentHeaders)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in headers.NonValidated) list.Add(new(name, values.ToString()));
        if (contentHeaders is not null)
            foreach (var (name, values) in contentHeaders.NonValidated) list.Add(new(name, values.ToString()));
        return list;
    }

    private static string Describe(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            text += $" → {inner.GetType().Name}: {inner.Message}";
        return text;
    }

    protected override void Dispose(bool disposing)
    {
        // DelegatingHandler disposes its inner handler: only let it when the inner handler is ours, never a shared pool.
        if (_ownsInner) base.Dispose(disposing);
    }
}
