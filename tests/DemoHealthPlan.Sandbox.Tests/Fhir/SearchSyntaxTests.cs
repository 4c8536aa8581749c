using DemoHealthPlan.Sandbox.Fhir.Search;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

public class SearchSyntaxTests
{
    [TestCase("2026", "2026-01-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00")]
    [TestCase("2026-02", "2026-02-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00")]
    [TestCase("2026-12-31", "2026-12-31T00:00:00+00:00", "2027-01-01T00:00:00+00:00")]
    [TestCase("2026-01-05T10:00Z", "2026-01-05T10:00:00+00:00", "2026-01-05T10:01:00+00:00")]
    [TestCase("2026-01-05T10:00:00+02:00", "2026-01-05T08:00:00+00:00", "2026-01-05T08:00:01+00:00")]
    [TestCase("2026-01-05T10:00:00.5Z", "2026-01-05T10:00:00.5+00:00", "2026-01-05T10:00:00.6+00:00")]
    public void Dates_cover_the_interval_their_precision_names(string text, string start, string end)
    {
        Assert.That(FhirDateRange.TryParse(text, out var range), Is.True);
        Assert.That(range.Start, Is.EqualTo(DateTimeOffset.Parse(start)));
        Assert.That(range.End, Is.EqualTo(DateTimeOffset.Parse(end)));
    }

    [TestCase("")]
    [TestCase("26")]
    [TestCase("2026-13")]
    [TestCase("2026-02-30")]
    [TestCase("2026-01-01T25:00Z")]
    [TestCase("yesterday")]
    public void Non_dates_are_rejected(string text) => Assert.That(FhirDateRange.TryParse(text, out _), Is.False);

    [Test]
    public void Escaped_separators_stay_in_the_value()
    {
        Assert.That(SearchSyntax.Split(@"a\,b,c", ',').Select(SearchSyntax.Unescape), Is.EqualTo(new[] { "a,b", "c" }));
        Assert.That(SearchSyntax.Split(@"sys|co\|de", '|').Select(SearchSyntax.Unescape), Is.EqualTo(new[] { "sys", "co|de" }));
    }

    [Test]
    public void Folding_ignores_case_and_accents() => Assert.That(SearchSyntax.Fold("Müller-ÉTÉ"), Is.EqualTo("muller-ete"));
}
