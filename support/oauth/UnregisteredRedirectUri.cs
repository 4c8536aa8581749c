namespace DigitalInsurance.Conformance.Support.OAuth;

/// <summary>
/// A redirect_uri the client never registered, derived from the registered one by one extra path segment: same
/// scheme, host and port, so only an exact comparison (as SMART's "must match one of the client's pre-registered
/// redirect URIs" asks) tells it apart; a server that matches by origin or prefix accepts it.
/// </summary>
public static class UnregisteredRedirectUri
{
    public const string ExtraSegment = "unregistered-by-conformance-harness";

    public static Uri For(Uri registered)
    {
        var builder = new UriBuilder(registered) { Path = registered.AbsolutePath.TrimEnd('/') + "/" + ExtraSegment };
        return builder.Uri;
    }
}
