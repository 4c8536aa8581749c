using DemoHealthPlan.Sandbox.Fhir.Search;
using Hl7.Fhir.Model;
using NUnit.Framework;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

public class IncludeAndPagingTests
{
    private readonly DirectFhir _fhir = new();

    [Test]
    public void Include_payor_adds_each_payor_once_in_include_mode()
    {
        var bundle = _fhir.Search("jason-argonaut", "Coverage", "_include=Coverage:payor");
        Assert.That(DirectFhir.Matches(bundle), Is.EqualTo(FhirTestData.JasonCoverages));
        Assert.That(DirectFhir.Included(bundle), Is.EqualTo(new[] { "Organization/demo-health-plan", "Organization/demo-dental-partners" }));
        Assert.That(bundle.Total, Is.EqualTo(4), "total counts matches only");
    }

    [Test]
    public void Include_follows_only_the_matches()
    {
        var bundle = _fhir.Search("jason-argonaut", "Coverage", "_id=coverage-jason-dental&_include=Coverage:payor:Organization");
        Assert.That(DirectFhir.Included(bundle), Is.EqualTo(new[] { "Organization/demo-dental-partners" }));
    }

    [Test]
    public void Include_never_leaves_the_compartment()
    {
        // Jason subscribes his daughter's Coverage, but her Patient is not his to see.
        var bundle = _fhir.Search("jason-argonaut", "Coverage", "_include=Coverage:beneficiary");
        Assert.That(DirectFhir.Included(bundle), Is.EqualTo(new[] { "Patient/jason-argonaut" }));
        var subscriber = _fhir.Search("jessica-argonaut", "Coverage", "_include=Coverage:subscriber&_include=Coverage:payor");
        Assert.That(DirectFhir.Included(subscriber), Is.EqualTo(new[] { "Organization/demo-health-plan" }));
    }

    [Test]
    public void Include_respects_the_token_scopes()
    {
        var api = _fhir.Api;
        var bundle = (Bundle)api.Search(DirectFhir.Caller("jason-argonaut", "patient/Coverage.rs"), "Coverage",
            DirectFhir.Query("_include=Coverage:payor"), DirectFhir.Urls).Body!;
        Assert.That(DirectFhir.Matches(bundle), Has.Count.EqualTo(4));
        Assert.That(DirectFhir.Included(bundle), Is.Empty);
    }

    [Test]
    public void Entries_have_full_urls_on_the_fhir_base()
    {
        var bundle = _fhir.Search("jason-argonaut", "Patient");
        Assert.That(bundle.Type, Is.EqualTo(Bundle.BundleType.Searchset));
        Assert.That(bundle.Entry.Single().FullUrl, Is.EqualTo("http://sandbox.test/r4/Patient/jason-argonaut"));
    }

    [Test]
    public void Following_next_links_visits_every_match_once()
    {
        var seen = new List<string>();
        var bundle = _fhir.Search("jason-argonaut", "Coverage", "_count=3&_include=Coverage:payor");
        var pages = 1;
        Assert.That(Link(bundle, "self"), Is.EqualTo("http://sandbox.test/r4/Coverage?_include=Coverage:payor&_count=3"));
        Assert.That(Link(bundle, "previous"), Is.Null);
        while (true)
        {
            Assert.That(bundle.Total, Is.EqualTo(4));
            seen.AddRange(DirectFhir.Matches(bundle));
            if (Link(bundle, "next") is not { } next) break;
            Assert.That(++pages, Is.LessThan(10), "paging must end");
            bundle = _fhir.Search("jason-argonaut", "Coverage", new Uri(next).Query);
        }
        Assert.That(pages, Is.EqualTo(2));
        Assert.That(seen, Is.EqualTo(FhirTestData.JasonCoverages), "each match once, in order");
        Assert.That(DirectFhir.Included(bundle), Is.EqualTo(new[] { "Organization/demo-health-plan" }), "includes follow the page's matches");
        Assert.That(Link(bundle, "previous"), Is.EqualTo("http://sandbox.test/r4/Coverage?_include=Coverage:payor&_count=3"));
        Assert.That(Link(bundle, "last"), Is.EqualTo(Link(bundle, "self")));
    }

    [Test]
    public void Paging_keeps_the_criteria_in_its_links()
    {
        var first = _fhir.Search("jason-argonaut", "Coverage", "status=active&_count=1");
        Assert.That(first.Total, Is.EqualTo(3));
        Assert.That(Link(first, "next"), Is.EqualTo("http://sandbox.test/r4/Coverage?status=active&_count=1&_getpagesoffset=1"));
        var second = _fhir.Search("jason-argonaut", "Coverage", new Uri(Link(first, "next")!).Query);
        Assert.That(DirectFhir.Matches(second), Is.EqualTo(new[] { "coverage-jason-dental" }));
    }

    [Test]
    public void Count_defaults_to_20_and_is_capped_at_100()
    {
        Assert.That(Link(_fhir.Search("jason-argonaut", "Coverage"), "self"), Does.EndWith($"_count={SearchRequest.DefaultCount}"));
        Assert.That(Link(_fhir.Search("jason-argonaut", "Coverage", "_count=1000"), "self"), Does.EndWith("_count=100"));
    }

    [Test]
    public void Count_zero_and_summary_count_return_the_total_only()
    {
        foreach (var query in new[] { "_count=0", "_summary=count" })
        {
            var bundle = _fhir.Search("jason-argonaut", "Coverage", query);
            Assert.That(bundle.Total, Is.EqualTo(4), query);
            Assert.That(bundle.Entry, Is.Empty, query);
            Assert.That(Link(bundle, "next"), Is.Null, query);
        }
    }

    [Test]
    public void An_offset_past_the_end_gives_an_empty_page_with_the_total()
    {
        var bundle = _fhir.Search("jason-argonaut", "Coverage", "_getpagesoffset=40");
        Assert.That(bundle.Total, Is.EqualTo(4));
        Assert.That(bundle.Entry, Is.Empty);
        Assert.That(Link(bundle, "next"), Is.Null);
    }

    internal static string? Link(Bundle bundle, string relation) => bundle.Link.FirstOrDefault(l => l.Relation == relation)?.Url;
}
