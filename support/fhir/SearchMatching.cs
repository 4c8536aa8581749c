using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace DigitalInsurance.Conformance.Support.Fhir;

/// <summary>
/// Whether a resource meets one search criterion, with FHIR R4 search semantics per parameter type: the harness's own
/// judgement of what a server returned. A value may list alternatives separated by commas (any may match); a parameter
/// repeated in a query is one criterion per occurrence (all must match). Values use FHIR's escapes (\, \| \$ \\).
/// </summary>
/// <remarks>
/// The sandbox (sandbox/Fhir/Search) has its own unescaping and date-prefix comparison, with some lines alike, on
/// purpose: it plays the server this class judges, and a server and its judge sharing code would agree on the same
/// mistake, so a wrong search would pass. Each follows the FHIR R4 search page on its own.
/// </remarks>
public static class SearchMatching
{
    private static readonly string[] DatePrefixes = ["eq", "ne", "gt", "lt", "ge", "le", "sa", "eb"];

    /// <summary>Whether any element the parameter selects matches any of the comma-separated alternatives in <paramref name="value"/>.</summary>
    /// <param name="modifier">string: exact, contains; uri: below, above; reference: a target type; otherwise none.</param>
    public static bool Matches(Resource resource, FhirSearchParameter parameter, string value, string? modifier = null)
    {
        var alternatives = Split(value, ',');
        var elements = parameter.ElementsOf(resource);
        return elements.Any(element => alternatives.Any(alternative => MatchesElement(element, parameter.Kind, alternative, modifier)));
    }

    /// <summary>Whether one element matches one value (no commas) of a parameter of the given kind.</summary>
    public static bool MatchesElement(Base element, SearchParameterKind kind, string value, string? modifier = null) => kind switch
    {
        SearchParameterKind.Token => MatchesToken(element, value, modifier),
        SearchParameterKind.Reference => MatchesReference(element, value, modifier),
        SearchParameterKind.String => MatchesString(element, value, modifier),
        SearchParameterKind.Date => MatchesDate(element, value, modifier),
        SearchParameterKind.Uri => MatchesUri(element, value, modifier),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Escapes FHIR's special characters (\ , | $) in a value taken from a resource.</summary>
    public static string Escape(string value) =>
        value.Replace("\\", "\\\\").Replace(",", "\\,").Replace("|", "\\|").Replace("$", "\\$");

    /// <summary>How an element reads in a failure message: "system|code", "Patient/1", "2026-01-01 … 2026-12-31", the text.</summary>
    public static string Describe(Base element) => element switch
    {
        Identifier i => $"{i.System}|{i.Value}",
        CodeableConcept cc => string.Join(", ", cc.Coding.Select(c => $"{c.System}|{c.Code}").Append(cc.Text).OfType<string>()),
        Coding c => $"{c.System}|{c.Code}",
        ResourceReference r => r.Reference ?? (r.Identifier is { } id ? $"identifier {id.System}|{id.Value}" : "(no reference)"),
        Period p => $"{p.Start ?? "…"} to {p.End ?? "ongoing"}",
        HumanName n => n.Text ?? string.Join(" ", n.Given.Append(n.Family).OfType<string>()),
        PrimitiveType primitive => primitive.ToString() ?? "(empty)",
        _ => element.TypeName,
    };

    // --- token -------------------------------------------------------------------------------------------------

    private static bool MatchesToken(Base element, string value, string? modifier)
    {
        RequireNoModifier(modifier, "token");
        var parts = Split(value, '|');
        if (parts.Count > 2) throw new ArgumentException($"Token value '{value}' has more than one unescaped '|'.", nameof(value));
        var systemGiven = parts.Count == 2;
        var system = systemGiven ? Unescape(parts[0]) : null;
        var code = Unescape(parts[^1]);
        return CodesOf(element).Any(c =>
            (!systemGiven || (system!.Length == 0 ? string.IsNullOrEmpty(c.System) : c.System == system))
            && (code.Length == 0 ? systemGiven : c.Code == code));
    }

    private static IEnumerable<(string? System, string? Code)> CodesOf(Base element) => element switch
    {
        Identifier i => [(i.System, i.Value)],
        CodeableConcept cc => cc.Coding.Select(c => (c.System, c.Code)),
        Coding c => [(c.System, c.Code)],
        ContactPoint cp => [(null, cp.Value)],
        PrimitiveType p => [(SystemOfBoundCode(p), p.ToString())],
        _ => [],
    };

    /// <summary>A code bound to a FHIR value set (e.g. Coverage.status) belongs to that value set's code system.</summary>
    private static string? SystemOfBoundCode(PrimitiveType primitive)
    {
        var type = primitive.GetType();
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(Code<>) || primitive.ToString() is not { } literal) return null;
        return EnumUtility.ParseLiteral(literal, type.GetGenericArguments()[0]) is Enum code ? code.GetSystem() : null;
    }

    // --- reference ---------------------------------------------------------------------------------------------

    private static bool MatchesReference(Base element, string value, string? modifier)
    {
        if (modifier is not null && !char.IsAsciiLetterUpper(modifier[0]))
            throw new NotSupportedException($"The harness does not judge the reference modifier ':{modifier}'.");
        var wanted = Unescape(value);
        var (wantedType, wantedId) = SplitReference(wanted);
        wantedType ??= modifier;
        return element switch
        {
            ResourceReference { Reference: { } reference } => SplitReference(reference) is var (type, id)
                && id is not null && id == wantedId
                && (wantedType is null || type is null || type == wantedType),
            PrimitiveType p => p.ToString() == wanted,
            _ => false,
        };
    }

    /// <summary>"Patient/1", "https://host/r4/Patient/1/_history/2" → (Patient, 1); a bare "1" → (null, 1).</summary>
    internal static (string? Type, string? Id) SplitReference(string reference)
    {
        var path = reference.Split('?', '#')[0];
        var history = path.IndexOf("/_history/", StringComparison.Ordinal);
        if (history >= 0) path = path[..history];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 1 && !path.Contains(':')) return (null, segments[0]);
        if (segments.Length >= 2 && char.IsAsciiLetterUpper(segments[^2][0])) return (segments[^2], segments[^1]);
        return (null, null);
    }

    // --- string ------------------------------------------------------------------------------------------------

    private static bool MatchesString(Base element, string value, string? modifier)
    {
        var wanted = Unescape(value);
        var folded = Fold(wanted);
        return TextsOf(element).Any(text => modifier switch
        {
            null => Fold(text).StartsWith(folded, StringComparison.Ordinal),
            "exact" => text == wanted,
            "contains" => Fold(text).Contains(folded, StringComparison.Ordinal),
            _ => throw new NotSupportedException($"The harness does not judge the string modifier ':{modifier}'."),
        });
    }

    private static IEnumerable<string> TextsOf(Base element) => (element switch
    {
        HumanName n => n.Given.Concat(n.Prefix).Concat(n.Suffix).Append(n.Family).Append(n.Text),
        Address a => a.Line.Append(a.City).Append(a.District).Append(a.State).Append(a.PostalCode).Append(a.Country).Append(a.Text),
        PrimitiveType p => [p.ToString()],
        _ => Array.Empty<string?>(),
    }).OfType<string>();

    /// <summary>String search ignores case and accents: "muller" finds "Müller".</summary>
    private static string Fold(string text)
    {
        var kept = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) kept.Append(c);
        return kept.ToString().Normalize(NormalizationForm.FormC).ToLowerInvariant();
    }

    // --- date --------------------------------------------------------------------------------------------------

    private static bool MatchesDate(Base element, string value, string? modifier)
    {
        RequireNoModifier(modifier, "date");
        var text = Unescape(value).Trim();
        var prefix = "eq";
        if (text.Length > 2 && char.IsAsciiLetter(text[0]) && char.IsAsciiLetter(text[1]))
        {
            prefix = text[..2];
            text = text[2..];
            if (!DatePrefixes.Contains(prefix))
                throw new NotSupportedException($"The harness does not judge the date prefix '{prefix}' (it judges {string.Join(", ", DatePrefixes)}).");
        }
        if (!FhirDateInterval.TryParse(text, out var searched)) throw new ArgumentException($"'{value}' is not a FHIR date search value.", nameof(value));
        if (IntervalOf(element) is not { } target) return false;

        // FHIR R4 search, "date": each prefix compares the interval the search value stands for with the element's.
        var equal = searched.Contains(target);
        return prefix switch
        {
            "eq" => equal,
            "ne" => !equal,
            "gt" => target.End > searched.End,
            "lt" => target.Start < searched.Start,
            "ge" => target.End > searched.End || equal,
            "le" => target.Start < searched.Start || equal,
            "sa" => target.Start >= searched.End,
            "eb" => target.End <= searched.Start,
            _ => false,
        };
    }

    private static FhirDateInterval? IntervalOf(Base element) => element switch
    {
        Period p => FhirDateInterval.OfPeriod(p.Start, p.End),
        Date or FhirDateTime or Instant => FhirDateInterval.TryParse(DateText((PrimitiveType)element), out var interval) ? interval : null,
        _ => null,
    };

    /// <summary>The element's date as FHIR writes it (an instant's DateTimeOffset is written back with its offset).</summary>
    private static string? DateText(PrimitiveType primitive) => primitive switch
    {
        Instant { Value: { } instant } => instant.ToString(instant.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ssK" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture),
        _ => primitive.ToString(),
    };

    // --- uri ---------------------------------------------------------------------------------------------------

    private static bool MatchesUri(Base element, string value, string? modifier)
    {
        if (element is not PrimitiveType p || p.ToString() is not { } uri) return false;
        var wanted = Unescape(value);
        return modifier switch
        {
            null => uri == wanted || (!wanted.Contains('|') && uri.Split('|')[0] == wanted),
            "below" => uri.StartsWith(wanted, StringComparison.Ordinal),
            "above" => wanted.StartsWith(uri.Split('|')[0], StringComparison.Ordinal),
            _ => throw new NotSupportedException($"The harness does not judge the uri modifier ':{modifier}'."),
        };
    }

    // --- syntax ------------------------------------------------------------------------------------------------

    private static void RequireNoModifier(string? modifier, string kind)
    {
        if (modifier is not null) throw new NotSupportedException($"The harness does not judge the {kind} modifier ':{modifier}'.");
    }

    /// <summary>Splits on separators not escaped with a backslash; the parts keep their escapes.</summary>
    internal static List<string> Split(string value, char separator)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                current.Append(value[i]).Append(value[++i]);
            }
            else if (value[i] == separator)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(value[i]);
            }
        }
        parts.Add(current.ToString());
        return parts;
    }

    internal static string Unescape(string value)
    {
        if (!value.Contains('\\')) return value;
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length) i++;
            result.Append(value[i]);
        }
        return result.ToString();
    }
}
