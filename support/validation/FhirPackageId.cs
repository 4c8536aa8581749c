namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>A FHIR package as FHIR tools name it: <c>name#version</c>.</summary>
internal readonly record struct FhirPackageId(string Name, string Version)
{
    public static FhirPackageId Parse(string text)
    {
        var parts = text.Split('#');
        if (parts.Length != 2 || parts[0].Trim().Length == 0 || parts[1].Trim().Length == 0)
            throw new FormatException($"'{text}' is not a FHIR package id of the form name#version (e.g. hl7.fhir.us.core#4.0.0).");
        return new FhirPackageId(parts[0].Trim(), parts[1].Trim());
    }

    public override string ToString() => $"{Name}#{Version}";
}
