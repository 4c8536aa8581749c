using System.Globalization;
using System.Text.RegularExpressions;

namespace DigitalInsurance.Conformance.Support.Fhir;

/// <summary>
/// The time a FHIR date, dateTime or instant stands for, as FHIR search reads it: an interval as wide as its precision
/// ("2026" is the whole year, "2026-01-06T08:00:00Z" that whole second), from <see cref="Start"/> (included) to
/// <see cref="End"/> (excluded). A value without a time zone is read as UTC. Open ends are Min/Max.
/// </summary>
public readonly partial record struct FhirDateInterval(DateTimeOffset Start, DateTimeOffset End)
{
    public static readonly FhirDateInterval Always = new(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

    [GeneratedRegex(@"^(?<year>\d{4})(-(?<month>\d{2})(-(?<day>\d{2})(T(?<hour>\d{2}):(?<minute>\d{2})(:(?<second>\d{2})(\.(?<fraction>\d+))?)?(?<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Syntax();

    public static bool TryParse(string? text, out FhirDateInterval interval)
    {
        interval = default;
        var match = Syntax().Match(text?.Trim() ?? "");
        if (!match.Success) return false;
        int Part(string name, int absent) =>
            match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : absent;
        try
        {
            var zone = match.Groups["zone"].Value;
            var offset = zone is "" or "Z"
                ? TimeSpan.Zero
                : new TimeSpan(int.Parse(zone[1..3], CultureInfo.InvariantCulture), int.Parse(zone[4..6], CultureInfo.InvariantCulture), 0) * (zone[0] == '-' ? -1 : 1);
            var start = new DateTimeOffset(Part("year", 1), Part("month", 1), Part("day", 1), Part("hour", 0), Part("minute", 0), Part("second", 0), offset);
            DateTimeOffset end;
            if (match.Groups["fraction"].Success)
            {
                // Digits beyond the 7 a tick holds cannot narrow the interval further.
                var digits = match.Groups["fraction"].Value;
                var kept = digits.Length > 7 ? digits[..7] : digits;
                start = start.AddTicks(long.Parse(kept.PadRight(7, '0'), CultureInfo.InvariantCulture));
                end = start.AddTicks((long)Math.Pow(10, 7 - kept.Length));
            }
            else if (match.Groups["second"].Success) end = start.AddSeconds(1);
            else if (match.Groups["minute"].Success) end = start.AddMinutes(1);
            else if (match.Groups["day"].Success) end = start.AddDays(1);
            else if (match.Groups["month"].Success) end = start.AddMonths(1);
            else end = start.AddYears(1);
            interval = new FhirDateInterval(start, end);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // month 13, day 32, hour 25 …
        }
    }

    /// <summary>A Period: from its start's first instant to its end's last; a missing end means it is ongoing.</summary>
    public static FhirDateInterval OfPeriod(string? start, string? end) => new(
        TryParse(start, out var s) ? s.Start : DateTimeOffset.MinValue,
        TryParse(end, out var e) ? e.End : DateTimeOffset.MaxValue);

    public bool Contains(FhirDateInterval other) => other.Start >= Start && other.End <= End;

    public override string ToString() =>
        $"[{(Start == DateTimeOffset.MinValue ? "…" : Start.ToString("O", CultureInfo.InvariantCulture))}, {(End == DateTimeOffset.MaxValue ? "…" : End.ToString("O", CultureInfo.InvariantCulture))})";
}
