using System.Text.RegularExpressions;

namespace DigitalInsurance.Conformance.Support.OAuth;

/// <summary>
/// Compares scope strings by what they allow, the way SMART App Launch 2.x defines it: resource scopes
/// (<c>patient/Coverage.rs</c>, <c>patient/*.read</c>) by context, resource type, permissions and query; every other
/// scope (<c>openid</c>, <c>fhirUser</c>, <c>launch/patient</c>, …) only by exact text. v1 suffixes mean their v2
/// equivalents (<c>read</c> = <c>rs</c>, <c>write</c> = <c>cud</c>, <c>*</c> = <c>cruds</c>), and a set of scopes allows
/// the union of what its members allow (<c>patient/Patient.r patient/Patient.s</c> = <c>patient/Patient.rs</c>).
/// </summary>
public static partial class ScopeGrant
{
    /// <summary>The scopes of a space-delimited scope parameter (RFC 6749 section 3.3), each once, in order.</summary>
    public static IReadOnlyList<string> Parse(string? scope) =>
        (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The scopes of <paramref name="granted"/> that <paramref name="allowed"/> does not cover: what was granted beyond what was allowed.</summary>
    public static IReadOnlyList<string> Beyond(IEnumerable<string> granted, IEnumerable<string> allowed)
    {
        var allowedList = allowed.ToList();
        return granted.Where(scope => !Covers(allowedList, scope)).ToList();
    }

    /// <summary>The scopes of <paramref name="required"/> that <paramref name="granted"/> does not cover.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<string> required, IEnumerable<string> granted) => Beyond(required, granted);

    /// <summary>
    /// True for a resource scope in SMART v2 syntax (<c>patient/*.rs</c>, <c>patient/Coverage.r?status=active</c>): a
    /// suffix from <c>cruds</c>, not SMART 1's <c>read</c>, <c>write</c> or <c>*</c>.
    /// </summary>
    public static bool IsV2(string scope) =>
        Syntax().Match(scope) is { Success: true } match && match.Groups["permissions"].Value is not ("read" or "write" or "*")
        && InOrderCruds().IsMatch(match.Groups["permissions"].Value);

    /// <summary>True when the scopes of <paramref name="scopes"/> together allow everything <paramref name="scope"/> allows.</summary>
    public static bool Covers(IEnumerable<string> scopes, string scope)
    {
        var list = scopes.ToList();
        if (list.Contains(scope, StringComparer.Ordinal)) return true;
        if (ResourceScope.TryParse(scope) is not { } wanted) return false;
        var allowed = new HashSet<char>();
        foreach (var candidate in list)
        {
            if (ResourceScope.TryParse(candidate) is not { } have) continue;
            if (have.Context != wanted.Context) continue;
            if (have.ResourceType != "*" && have.ResourceType != wanted.ResourceType) continue;
            // A scope narrowed by a query allows only that same query; one without a query allows any.
            if (have.Query is not null && have.Query != wanted.Query) continue;
            allowed.UnionWith(have.Permissions);
        }
        return wanted.Permissions.IsSubsetOf(allowed);
    }

    private sealed record ResourceScope(string Context, string ResourceType, HashSet<char> Permissions, string? Query)
    {
        public static ResourceScope? TryParse(string scope)
        {
            var match = Syntax().Match(scope);
            if (!match.Success) return null;
            var suffix = match.Groups["permissions"].Value;
            var permissions = suffix switch
            {
                "read" => "rs",
                "write" => "cud",
                "*" => "cruds",
                _ => InOrderCruds().IsMatch(suffix) ? suffix : null,
            };
            if (string.IsNullOrEmpty(permissions)) return null;
            var query = match.Groups["query"].Success ? match.Groups["query"].Value : null;
            return new ResourceScope(match.Groups["context"].Value, match.Groups["type"].Value, [.. permissions], query);
        }
    }

    [GeneratedRegex(@"^(?<context>patient|user|system)/(?<type>\*|[A-Z][A-Za-z]*)\.(?<permissions>read|write|\*|[cruds]+)(\?(?<query>.+))?$")]
    private static partial Regex Syntax();

    // SMART 2.x: "Valid suffixes are a subset of the in-order string .cruds"; anything else allows nothing here.
    [GeneratedRegex("^c?r?u?d?s?$")]
    private static partial Regex InOrderCruds();
}
