using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace DemoHealthPlan.Sandbox.Fhir.Search;

/// <summary>One value of a search parameter (the parts between commas), ready to test an element the expression selected.</summary>
internal abstract record SearchValue
{
    public abstract bool Matches(Base element);
}

/// <summary>Token: [system]|[code], code, |code (no system) or system| (any code); :text and :of-type variants.</summary>
internal sealed record TokenValue(string? System, bool SystemGiven, string? Code, TokenMatchMode Mode, string? TypeSystem = null, string? TypeCode = null) : SearchValue
{
    public static TokenValue Parse(string raw, TokenMatchMode mode)
    {
        if (mode == TokenMatchMode.Text) return new TokenValue(null, false, SearchSyntax.Unescape(raw), mode);
        var parts = SearchSyntax.Split(raw, '|').Select(SearchSyntax.Unescape).ToList();
        if (mode == TokenMatchMode.OfType)
        {
            if (parts.Count != 3 || parts.Any(p => p.Length == 0))
                throw FhirProblem.Invalid($"':of-type' needs type-system|type-code|value, not '{raw}'.");
            return new TokenValue(null, false, parts[2], mode, parts[0], parts[1]);
        }
        return parts.Count switch
        {
            1 => new TokenValue(null, false, parts[0], mode),
            2 => new TokenValue(parts[0].Length == 0 ? null : parts[0], true, parts[1].Length == 0 ? null : parts[1], mode),
            _ => throw FhirProblem.Invalid($"Token value '{raw}' has more than one unescaped '|'."),
        };
    }

    public override bool Matches(Base element)
    {
        switch (Mode)
        {
            case TokenMatchMode.Text:
                return TextsOf(element).Any(t => SearchSyntax.Fold(t).StartsWith(SearchSyntax.Fold(Code ?? ""), StringComparison.Ordinal));
            case TokenMatchMode.OfType:
                return element is Identifier id
                       && id.Value == Code
                       && id.Type?.Coding.Any(c => c.System == TypeSystem && c.Code == TypeCode) == true;
            default:
                return CodesOf(element).Any(t => MatchesPair(t.System, t.Code));
        }
    }

    private bool MatchesPair(string? system, string? code)
    {
        if (SystemGiven && System is null && !string.IsNullOrEmpty(system)) return false;
        if (System is not null && system != System) return false;
        return Code is null || code == Code;
    }

    private static IEnumerable<(string? System, string? Code)> CodesOf(Base element) => element switch
    {
        Identifier i => [(i.System, i.Value)],
        CodeableConcept cc => cc.Coding.Select(c => (c.System, c.Code)),
        Coding c => [(c.System, c.Code)],
        ContactPoint cp => [(cp.System is { } s ? EnumUtility.GetLiteral(s) : null, cp.Value)],
        PrimitiveType p => [(SystemOfCode(p), p.ToString())],
        _ => [],
    };

    private static IEnumerable<string> TextsOf(Base element) => (element switch
    {
        CodeableConcept cc => cc.Coding.Select(c => c.Display).Append(cc.Text),
        Coding c => [c.Display],
        Identifier i => [i.Type?.Text],
        _ => Array.Empty<string?>(),
    }).OfType<string>();

    /// <summary>Codes bound to an enum (e.g. Coverage.status) carry their code system in the SDK's enum literal.</summary>
    private static string? SystemOfCode(PrimitiveType primitive)
    {
        var type = primitive.GetType();
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(Code<>)) return null;
        var literal = primitive.ToString();
        return literal is not null && EnumUtility.ParseLiteral(literal, type.GetGenericArguments()[0]) is Enum value
            ? EnumUtility.GetSystem(value)
            : null;
    }
}

internal enum TokenMatchMode { Code, Text, OfType }

/// <summary>Reference: Type/id, a bare id (any allowed target type), an absolute URL, or :identifier.</summary>
internal sealed record ReferenceValue(string? Type, string? Id, string Raw, TokenValue? Identifier) : SearchValue
{
    public static ReferenceValue Parse(string raw, string? typeModifier, bool byIdentifier)
    {
        var value = SearchSyntax.Unescape(raw);
        if (byIdentifier) return new ReferenceValue(null, null, value, TokenValue.Parse(raw, TokenMatchMode.Code));
        var (type, id) = Split(value);
        if (typeModifier is not null)
        {
            if (type is not null && type != typeModifier)
                throw FhirProblem.Invalid($"Reference '{value}' does not point to a {typeModifier}.");
            type = typeModifier;
        }
        return new ReferenceValue(type, id, value, null);
    }

    public IReadOnlyList<string> AllowedTypes { get; init; } = [];

    public override bool Matches(Base element)
    {
        if (Identifier is not null) return element is ResourceReference { Identifier: { } i } && Identifier.Matches(i);
        switch (element)
        {
            case ResourceReference { Reference: { } reference }:
                var (type, id) = Split(reference);
                if (id is null || id != Id) return reference == Raw;
                if (Type is not null) return type == Type;
                return type is null || AllowedTypes.Count == 0 || AllowedTypes.Contains(type);
            case PrimitiveType p:
                return p.ToString() == Raw;
            default:
                return false;
        }
    }

    /// <summary>"Patient/1", "http://host/r4/Patient/1/_history/2" -> (Patient, 1); "1" -> (null, 1).</summary>
    internal static (string? Type, string? Id) Split(string reference)
    {
        var path = reference.Split('?', '#')[0];
        var history = path.IndexOf("/_history/", StringComparison.Ordinal);
        if (history >= 0) path = path[..history];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length switch
        {
            0 => (null, null),
            1 when !path.Contains(':') => (null, segments[0]),
            >= 2 when char.IsAsciiLetterUpper(segments[^2][0]) => (segments[^2], segments[^1]),
            _ => (null, null),
        };
    }
}

/// <summary>String: starts-with by default, case- and accent-insensitive; :exact and :contains.</summary>
internal sealed record StringValue(string Text, StringMatchMode Mode) : SearchValue
{
    private readonly string _folded = SearchSyntax.Fold(Text);

    public override bool Matches(Base element) => StringsOf(element).Any(s => Mode switch
    {
        StringMatchMode.Exact => s == Text,
        StringMatchMode.Contains => SearchSyntax.Fold(s).Contains(_folded, StringComparison.Ordinal),
        _ => SearchSyntax.Fold(s).StartsWith(_folded, StringComparison.Ordinal),
    });

    private static IEnumerable<string> StringsOf(Base element) => (element switch
    {
        HumanName n => n.Given.Concat(n.Prefix).Concat(n.Suffix).Append(n.Family).Append(n.Text),
        Address a => a.Line.Append(a.City).Append(a.District).Append(a.State).Append(a.PostalCode).Append(a.Country).Append(a.Text),
        PrimitiveType p => [p.ToString()],
        _ => Array.Empty<string?>(),
    }).OfType<string>();
}

internal enum StringMatchMode { StartsWith, Exact, Contains }

/// <summary>Date with prefix (eq, ne, gt, lt, ge, le, sa, eb, ap) over date, dateTime, instant and Period.</summary>
internal sealed record DateValue(string Prefix, FhirDateRange Range) : SearchValue
{
    public static readonly IReadOnlyList<string> Prefixes = ["eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap"];

    public static DateValue Parse(string raw, DateTimeOffset now)
    {
        var value = SearchSyntax.Unescape(raw).Trim();
        var prefix = "eq";
        if (value.Length > 2 && char.IsAsciiLetter(value[0]) && char.IsAsciiLetter(value[1]))
        {
            prefix = value[..2];
            value = value[2..];
            if (!Prefixes.Contains(prefix))
                throw FhirProblem.Invalid($"Unknown date prefix '{prefix}' in '{raw}'. Use one of {string.Join(", ", Prefixes)}.");
        }
        if (!FhirDateRange.TryParse(value, out var range))
            throw FhirProblem.Invalid($"'{raw}' is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|+hh:mm], optionally after a prefix).");
        return new DateValue(prefix, range) { Now = now };
    }

    /// <summary>The server's time when the search was made: what "ap" measures its distance from.</summary>
    public required DateTimeOffset Now { get; init; }

    public override bool Matches(Base element)
    {
        if (RangeOf(element) is not { } target) return false;
        var eq = target.Within(Range);
        return Prefix switch
        {
            "eq" => eq,
            "ne" => !eq,
            "gt" => target.End > Range.End,
            "lt" => target.Start < Range.Start,
            "ge" => target.End > Range.End || eq,
            "le" => target.Start < Range.Start || eq,
            "sa" => target.Start >= Range.End,
            "eb" => target.End <= Range.Start,
            "ap" => target.Overlaps(Approximately()),
            _ => false,
        };
    }

    /// <summary>The search range widened by 10% of its distance from now (at least a day), as the spec suggests.</summary>
    private FhirDateRange Approximately()
    {
        var distance = (Now - Range.Start).Duration();
        var margin = TimeSpan.FromTicks(Math.Max(TimeSpan.FromDays(1).Ticks, distance.Ticks / 10));
        var start = Range.Start - DateTimeOffset.MinValue > margin ? Range.Start - margin : DateTimeOffset.MinValue;
        var end = DateTimeOffset.MaxValue - Range.End > margin ? Range.End + margin : DateTimeOffset.MaxValue;
        return new FhirDateRange(start, end);
    }

    private static FhirDateRange? RangeOf(Base element) => element switch
    {
        Period p => new FhirDateRange(
            FhirDateRange.TryParse(p.Start, out var s) ? s.Start : DateTimeOffset.MinValue,
            FhirDateRange.TryParse(p.End, out var e) ? e.End : DateTimeOffset.MaxValue),
        Date or FhirDateTime or Instant => FhirDateRange.TryParse(element.ToString(), out var r) ? r : null,
        _ => null,
    };
}

/// <summary>Uri: exact (a canonical's |version ignored when the search gives none), :below (prefix), :above.</summary>
internal sealed record UriValue(string Uri, UriMatchMode Mode) : SearchValue
{
    public override bool Matches(Base element)
    {
        if (element is not PrimitiveType p || p.ToString() is not { } value) return false;
        return Mode switch
        {
            UriMatchMode.Below => value.StartsWith(Uri, StringComparison.Ordinal),
            UriMatchMode.Above => Uri.StartsWith(value.Split('|')[0], StringComparison.Ordinal),
            _ => value == Uri || (!Uri.Contains('|') && value.Split('|')[0] == Uri),
        };
    }
}

internal enum UriMatchMode { Exact, Below, Above }
