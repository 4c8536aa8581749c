using System.Globalization;
using System.Text.RegularExpressions;

namespace DemoHealthPlan.Sandbox.Fhir.Search;

/// <summary>
/// A FHIR date, dateTime or instant as the half-open interval [Start, End) its precision covers: "2026" is the whole year,
/// "2026-03-01" the whole day. Values without a time zone are read as UTC. Open ends are Min/Max.
/// </summary>
internal readonly record struct FhirDateRange(DateTimeOffset Start, DateTimeOffset End)
{
    public static readonly FhirDateRange Everything = new(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

    private static readonly Regex Syntax = new(
        @"^(?<y>\d{4})(-(?<m>\d{2})(-(?<d>\d{2})(T(?<h>\d{2}):(?<min>\d{2})(:(?<s>\d{2})(\.(?<f>\d{1,9}))?)?(?<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    public static bool TryParse(string? text, out FhirDateRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var match = Syntax.Match(text.Trim());
        if (!match.Success) return false;
        try
        {
            int Part(string name, int fallback) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : fallback;
            var offset = TimeSpan.Zero;
            if (match.Groups["tz"].Success && match.Groups["tz"].Value != "Z")
                offset = TimeSpan.ParseExact(match.Groups["tz"].Value[1..], @"hh\:mm", CultureInfo.InvariantCulture)
                         * (match.Groups["tz"].Value[0] == '-' ? -1 : 1);

            var start = new DateTimeOffset(Part("y", 1), Part("m", 1), Part("d", 1), Part("h", 0), Part("min", 0), Part("s", 0), offset);
            DateTimeOffset end;
            if (match.Groups["f"].Success)
            {
                var digits = match.Groups["f"].Value;
                var ticks = long.Parse(digits.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
                start = start.AddTicks(ticks);
                end = start.AddTicks(Math.Max(1, (long)Math.Pow(10, Math.Max(0, 7 - digits.Length))));
            }
            else if (match.Groups["s"].Success) end = start.AddSeconds(1);
            else if (match.Groups["min"].Success) end = start.AddMinutes(1);
            else if (match.Groups["d"].Success) end = start.AddDays(1);
            else if (match.Groups["m"].Success) end = start.AddMonths(1);
            else end = start.AddYears(1);
            range = new FhirDateRange(start, end);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // e.g. month 13 or day 32
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public bool Overlaps(FhirDateRange other) => Start < other.End && other.Start < End;

    public bool Within(FhirDateRange outer) => Start >= outer.Start && End <= outer.End;
}
