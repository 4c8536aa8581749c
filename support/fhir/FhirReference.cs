namespace DigitalInsurance.Conformance.Support.Fhir;

public static class FhirReference
{
    /// <summary>"Patient/1", "https://server/r4/Patient/1" and "Patient/1/_history/2" all name "Patient/1".</summary>
    public static string? Normalize(string? reference)
    {
        if (reference is null) return null;
        var parts = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var history = Array.IndexOf(parts, "_history");
        if (history >= 2) parts = parts[..history];
        return parts.Length >= 2 ? $"{parts[^2]}/{parts[^1]}" : reference;
    }
}
