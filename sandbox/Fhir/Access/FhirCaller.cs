namespace DemoHealthPlan.Sandbox.Fhir.Access;

/// <summary>Who is asking: the Patient whose compartment the access token opens, and the SMART scopes it grants.</summary>
internal sealed record FhirCaller(string PatientId, IReadOnlyCollection<string> Scopes)
{
    /// <summary>Read and search on the type (SMART v1 .read/.*, or v2 permission letters r and s).</summary>
    public bool MayRead(string resourceType) => SmartScopeGrants.Grants(Scopes, resourceType, 'r');

    public bool MaySearch(string resourceType) => SmartScopeGrants.Grants(Scopes, resourceType, 's');
}

/// <summary>SMART App Launch patient-level scopes: v1 (patient/Type.read, patient/*.*) and v2 (patient/Type.rs).</summary>
internal static class SmartScopeGrants
{
    public const string ReadAll = "patient/*.read";

    public static bool Grants(IEnumerable<string> scopes, string resourceType, char permission) =>
        scopes.Any(scope => Grants(scope, resourceType, permission));

    private static bool Grants(string scope, string resourceType, char permission)
    {
        // Scopes narrowed by a query (v2 "patient/Coverage.rs?status=active") would need filtering the sandbox does not do.
        if (!scope.StartsWith("patient/", StringComparison.Ordinal) || scope.Contains('?')) return false;
        var body = scope["patient/".Length..];
        var dot = body.LastIndexOf('.');
        if (dot <= 0) return false;
        var type = body[..dot];
        var access = body[(dot + 1)..];
        if (type != "*" && type != resourceType) return false;
        return access switch
        {
            "read" or "*" => permission is 'r' or 's',
            "write" => false,
            _ => IsV2Permissions(access) && access.Contains(permission),
        };
    }

    /// <summary>v2 permissions are a non-empty subsequence of "cruds".</summary>
    private static bool IsV2Permissions(string access)
    {
        var position = 0;
        foreach (var c in access)
        {
            var found = "cruds".IndexOf(c, position);
            if (found < 0) return false;
            position = found + 1;
        }
        return access.Length > 0;
    }
}
