namespace DigitalInsurance.Conformance.Support.OAuth;

/// <summary>
/// How long a client must hold an access token before it has certainly expired: the lifetime its token response states
/// (expires_in, counted from the response, which the server sends after issuing the token) plus a margin.
/// </summary>
public static class AccessTokenExpiry
{
    /// <summary>
    /// Five minutes and 2 s: JWT validators commonly allow five minutes of clock skew past <c>exp</c> (Microsoft.IdentityModel's
    /// default ClockSkew), and a server that rounds expiry to whole seconds may be 2 s late. A token still accepted after this
    /// is accepted after its lifetime.
    /// </summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(2);

    /// <summary>How long to wait after the token response before the token has outlived <paramref name="expiresInSeconds"/>.</summary>
    public static TimeSpan WaitAfterResponse(long expiresInSeconds) => TimeSpan.FromSeconds(expiresInSeconds) + Margin;
}
