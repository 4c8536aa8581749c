namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>The SMART on FHIR scopes the sandbox grants (all read-only) and how the consent page words them.</summary>
public static class SmartScopes
{
    /// <summary>Granted when an authorization request has no scope parameter.</summary>
    public const string Default = "patient/*.read";
    public const string OpenId = "openid";
    public const string FhirUser = "fhirUser";
    public const string OfflineAccess = "offline_access";

    /// <summary>The OpenID Connect scopes, which ask for the member's identity rather than data.</summary>
    public static bool IsIdentity(string scope) => scope is OpenId or FhirUser;

    public static IReadOnlyDictionary<string, string> Supported { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [OpenId] = "Confirm who you are to the app",
        [FhirUser] = "Share a link to your member record (your identity)",
        ["launch/patient"] = "Know which member you are when the app starts",
        ["patient/*.read"] = "Read your health plan information: member details, coverage and plan organizations",
        ["patient/*.rs"] = "Read and search your health plan information: member details, coverage and plan organizations",
        ["patient/Patient.read"] = "Read your member details",
        ["patient/Patient.rs"] = "Read and search your member details",
        ["patient/Coverage.read"] = "Read your coverage",
        ["patient/Coverage.rs"] = "Read and search your coverage",
        ["patient/Organization.read"] = "Read the organizations of your plan",
        ["patient/Organization.rs"] = "Read and search the organizations of your plan",
        [OfflineAccess] = "Keep this access while you are not using the app, until you withdraw it",
    };
}

/// <summary>Paths of the authorization server (relative to the base URL), as a real payer publishes them.</summary>
public static class AuthPaths
{
    public const string Authorize = "oauth2/authorize/digitalinsurance";
    public const string Token = "oauth2/token";
    public const string OpenIdConfiguration = ".well-known/openid-configuration";
    public const string SmartConfiguration = ".well-known/smart-configuration";
    public const string Jwks = ".well-known/jwks";
}
