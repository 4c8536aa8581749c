namespace DigitalInsurance.Conformance.Support.Timing;

/// <summary>
/// Times each HTTP exchange, body included, as the <see cref="Phase"/> <paramref name="classify"/> picks for it
/// (<see cref="Phase.OAuth"/> for the token endpoint, <see cref="Phase.Http"/> otherwise).
/// </summary>
public sealed class PhaseTimingHandler(HttpMessageHandler inner, Func<HttpRequestMessage, Phase> classify) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var _ = PhaseTimer.Measure(classify(request));
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // The body arrives after the headers: read it here so the wait for it counts as the server's.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        return response;
    }
}
