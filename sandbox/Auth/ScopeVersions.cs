using System.Text.RegularExpressions;
using DemoHealthPlan.Sandbox.Faults;

namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>
/// Which SMART scope syntax the sandbox offers. By default both, as SMART 2 servers do (capabilities permission-v1 and
/// permission-v2); the variation <see cref="V1Only"/> is a SMART 1 server (no permission-v2, v2 scopes neither listed nor
/// granted); the fault <see cref="V2Refused"/> still advertises permission-v2 but refuses a request naming a v2 scope.
/// </summary>
internal static partial class ScopeVersions
{
    public const string V1Only = "v1-scopes-only";
    public const string V2Refused = "v2-scopes-refused";
    public const string PermissionV2 = "permission-v2";

    /// <summary>SMART 2.x: a resource scope whose suffix is a subset of the in-order "cruds" (SMART 1: read, write, *).</summary>
    public static bool IsV2(string scope) => V2Syntax().IsMatch(scope);

    public static bool AdvertisesV2(SandboxVariations variations) => !variations.IsOn(V1Only);

    public static bool GrantsV2(SandboxVariations variations, SandboxFaults faults) => AdvertisesV2(variations) && !faults.IsOn(V2Refused);

    [GeneratedRegex(@"^(patient|user|system)/(\*|[A-Z][A-Za-z]*)\.(?=[cruds])c?r?u?d?s?(\?.+)?$")]
    private static partial Regex V2Syntax();
}
