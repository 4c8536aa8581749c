namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>Claims the authorization server puts in access tokens and the FHIR API reads.</summary>
public static class SandboxClaims
{
    /// <summary>The id of the member's Patient: the SMART patient context.</summary>
    public const string Patient = "patient";
    public const string FhirUser = "fhirUser";
}
