namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>A FHIR package the validator loaded: where it came from and the folder its definitions were read from.</summary>
/// <param name="Source">The archive or folder it was found as (configured folder, ~/.fhir/packages, or the Firely SDK for R4 core).</param>
/// <param name="ContentFolder">The extracted <c>package/</c> folder (or the SDK's specification.zip for R4 core).</param>
public sealed record PackageInfo(string Name, string Version, string Source, string ContentFolder)
{
    public override string ToString() => $"{Name}#{Version} ({Source})";
}
