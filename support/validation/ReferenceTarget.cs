namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>A profile a reference element allows its target to meet (<c>type.targetProfile</c>), and the resource type it constrains.</summary>
public sealed record ReferenceTarget(string Profile, string ResourceType)
{
    /// <summary>A base resource definition (e.g. http://hl7.org/fhir/StructureDefinition/Patient): any resource of the type meets it.</summary>
    public bool IsBaseDefinition => IssuePolicy.WithoutVersion(Profile) == $"http://hl7.org/fhir/StructureDefinition/{ResourceType}";
}
