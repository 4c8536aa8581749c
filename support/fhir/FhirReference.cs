namespace DigitalInsurance.Conformance.Support.Fhir;

public static class FhirReference
{
    /// <summary>
    /// "Patient/1", "{fhirBase}Patient/1" and "Patient/1/_history/2" all name "Patient/1" of the server at
    /// <paramref name="fhirBase"/>. An absolute URL outside that base is returned as written: it names a resource of
    /// another server, never one of this server's, so it can never equal a "Type/id" of this server.
    /// </summary>
    public static string? Normalize(string? reference, Uri fhirBase)
    {
        if (reference is null) return null;
        if (!Uri.TryCreate(reference, UriKind.Absolute, out var absolute)) return TypeAndId(reference);
        return IsUnder(absolute, fhirBase) ? TypeAndId(absolute.AbsolutePath[WithSlash(fhirBase).AbsolutePath.Length..]) : reference;
    }

    /// <summary>
    /// The last "Type/id" a reference names, whichever server it is on: a value to search with (FHIR R4 search on a
    /// reference parameter matches "Type/id"), never a verdict that the reference is this server's (that is <see cref="Normalize"/>'s).
    /// </summary>
    public static string? TypeAndId(string? reference)
    {
        if (reference is null) return null;
        var parts = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var history = Array.IndexOf(parts, "_history");
        if (history >= 2) parts = parts[..history];
        return parts.Length >= 2 ? $"{parts[^2]}/{parts[^1]}" : reference;
    }

    /// <summary>
    /// Whether <paramref name="absolute"/> lies under the FHIR base, compared the way RFC 3986 6.2.2 compares URIs: scheme
    /// and host case-insensitively (System.Uri lower-cases them and drops a default port), the path case-sensitively and
    /// segment by segment ("https://h/r4x/Patient/1" is not under "https://h/r4").
    /// </summary>
    public static bool IsUnder(Uri absolute, Uri fhirBase)
    {
        var baseUrl = WithSlash(fhirBase);
        return absolute.IsAbsoluteUri
               && string.Equals(absolute.Scheme, baseUrl.Scheme, StringComparison.OrdinalIgnoreCase)
               && string.Equals(absolute.IdnHost, baseUrl.IdnHost, StringComparison.OrdinalIgnoreCase)
               && absolute.Port == baseUrl.Port
               && absolute.AbsolutePath.StartsWith(baseUrl.AbsolutePath, StringComparison.Ordinal);
    }

    private static Uri WithSlash(Uri fhirBase) =>
        fhirBase.AbsolutePath.EndsWith('/') ? fhirBase : new Uri(fhirBase.GetLeftPart(UriPartial.Path) + "/");
}
