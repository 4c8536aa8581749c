using DigitalInsurance.Conformance.Tests.Checks;
using System.Net;
using System.Text;
using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Fhir;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using NUnit.Framework;
using static DigitalInsurance.Conformance.Tests.Fhir.C4dicSearchesTests;
using Task = System.Threading.Tasks.Task;

namespace DigitalInsurance.Conformance.Tests.Fhir;

public class SearchChecksTests
{
    private static SearchCriteria StatusCancelled() =>
        C4dicSearches.MostSelective(C4dicSearches.Find("Coverage", "status"), Household())!;

    [Test]
    public void Only_matching_results_pass()
    {
        var criteria = StatusCancelled();
        Assert.DoesNotThrow(() => new SearchRules(TestChecks.Default()).RequireOnlyMatches([Household()[1]], criteria));
        Assert.DoesNotThrow(() => new SearchRules(TestChecks.Default()).RequireSourceReturned([Household()[1]], criteria));
    }

    [Test]
    public void A_result_that_does_not_match_fails_naming_the_requirement_and_its_value()
    {
        var failure = Assert.Throws<ConformanceFailure>(() => new SearchRules(TestChecks.Default()).RequireOnlyMatches(Household(), StatusCancelled()));
        Assert.That(failure!.Message, Does.StartWith("[c4dic-search-coverage-status]")
            .And.Contain("Coverage/medical has status active")
            .And.Contain("Coverage/jessica has status active")
            .And.Not.Contain("Coverage/medical-2025 has"));
    }

    [Test]
    public void A_result_of_another_type_fails()
    {
        var organization = Held(new Organization { Id = "plan" });
        var failure = Assert.Throws<ConformanceFailure>(() => new SearchRules(TestChecks.Default()).RequireOnlyMatches([Household()[1], organization], StatusCancelled()));
        Assert.That(failure!.Message, Does.StartWith("[c4dic-search-coverage-status]").And.Contain("Organization/plan"));
    }

    [Test]
    public void The_resource_the_value_came_from_must_be_returned()
    {
        var failure = Assert.Throws<ConformanceFailure>(() => new SearchRules(TestChecks.Default()).RequireSourceReturned([], StatusCancelled()));
        Assert.That(failure!.Message, Does.StartWith("[c4dic-search-coverage-status]").And.Contain("Coverage/medical-2025").And.Contain("nothing"));
    }

    [Test]
    public void The_explanation_says_where_the_value_came_from_and_whether_it_can_catch_an_ignored_parameter()
    {
        Assert.That(new SearchRules(TestChecks.Default()).Explain(StatusCancelled()), Does.Contain("Coverage?status=cancelled").And.Contain("Coverage.status, taken from Coverage/medical-2025")
            .And.Contain("would also return ones that do not match"));
        var profile = C4dicSearches.MostSelective(C4dicSearches.Find("Coverage", "_profile"), Household())!;
        Assert.That(new SearchRules(TestChecks.Default()).Explain(profile), Does.Contain("alone cannot show a server that ignores _profile"));
    }

    private static NoMatchCriteria NoSubscriber() =>
        C4dicSearches.NoMatch(C4dicSearches.Find("Coverage", "subscriber"), Household())!;

    [Test]
    public void A_negative_control_answered_with_nothing_of_the_type_passes()
    {
        var included = Held(new Organization { Id = "plan" });
        Assert.DoesNotThrow(() => new SearchRules(TestChecks.Default()).RequireNoneReturned([], NoSubscriber()));
        Assert.DoesNotThrow(() => new SearchRules(TestChecks.Default()).RequireNoneReturned([included], NoSubscriber()));
    }

    /// <summary>Every Coverage of the household has the same subscriber: only the negative control shows the parameter was ignored.</summary>
    [Test]
    public void A_negative_control_answered_with_the_members_resources_fails_saying_the_parameter_was_ignored()
    {
        var failure = Assert.Throws<ConformanceFailure>(() => new SearchRules(TestChecks.Default()).RequireNoneReturned(Household(), NoSubscriber()));
        Assert.That(failure!.Message, Does.StartWith("[c4dic-search-coverage-subscriber] Coverage?subscriber=Patient/dic-conformance-no-such-value must return no Coverage")
            .And.Contain("Coverage/medical, Coverage/medical-2025, Coverage/dental, Coverage/jessica")
            .And.Contain("the server ignored the subscriber parameter"));
    }

    [Test]
    public void The_negative_control_explains_its_value_or_why_none_was_sent()
    {
        var status = C4dicSearches.Find("Coverage", "status");
        Assert.That(new SearchRules(TestChecks.Default()).Explain(status, C4dicSearches.NoMatch(status, Household())),
            Does.Contain("Coverage?status=draft").And.Contain("none of the 4 Coverage resources the member holds matches it"));
        Assert.That(new SearchRules(TestChecks.Default()).Explain(status, null), Does.StartWith("Not searched").And.Contain("status=entered-in-error"));
    }

    // --- paging and _include, against a scripted server ---------------------------------------------------------

    private const string Base = "https://fhir.example/r4/";

    private static async Task<PagedSearch> Walk(Func<Uri, Bundle> serve, string request = "Coverage?_count=1", Requirement? rule = null)
    {
        using var http = new HttpClient(new ScriptedServer(serve));
        return await new SearchRules(TestChecks.Default()).WalkPagedAsync(new FhirConversation(new FhirApi(http, new Uri(Base))), request, rule ?? SearchRules.PagingRule);
    }

    private static Bundle Page(int offset, int? next, params Resource[] matches)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset };
        bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = $"{Base}Coverage?_count=1&_offset={offset}" });
        if (next is not null) bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = $"{Base}Coverage?_count=1&_offset={next}" });
        foreach (var resource in matches)
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = resource, Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match } });
        return bundle;
    }

    private static int Offset(Uri uri) =>
        System.Web.HttpUtility.ParseQueryString(uri.Query)["_offset"] is { } offset ? int.Parse(offset, System.Globalization.CultureInfo.InvariantCulture) : 0;

    [Test]
    public async Task Pages_that_hold_each_resource_once_pass()
    {
        var coverages = Household().Select(h => h.Resource).ToList();
        var paged = await Walk(uri => Page(Offset(uri), Offset(uri) + 1 < coverages.Count ? Offset(uri) + 1 : null, coverages[Offset(uri)]));
        Assert.Multiple(() =>
        {
            Assert.That(paged.Pages, Has.Count.EqualTo(4));
            Assert.DoesNotThrow(() => new SearchRules(TestChecks.Default()).RequireNoRepeats(paged));
            Assert.DoesNotThrow(() => new SearchRules(TestChecks.Default()).RequireEnded(paged));
            Assert.DoesNotThrow(() => new SearchRules(TestChecks.Default()).RequireSameAs(paged, Household()));
        });
    }

    [Test]
    public async Task A_next_link_back_to_the_same_page_shows_as_repeats_and_an_endless_search()
    {
        var first = Household()[0].Resource;
        var paged = await Walk(_ => Page(0, 0, first));
        Assert.That(paged.Pages, Has.Count.EqualTo(FhirConversation.MaxPages));
        var repeats = Assert.Throws<ConformanceFailure>(() => new SearchRules(TestChecks.Default()).RequireNoRepeats(paged));
        Assert.That(repeats!.Message, Does.StartWith("[fhir-search-paging]").And.Contain("Coverage/medical on pages 1, 2, 3"));
        var endless = Assert.Throws<ConformanceFailure>(() => new SearchRules(TestChecks.Default()).RequireEnded(paged));
        Assert.That(endless!.Message, Does.StartWith("[fhir-search-paging]").And.Contain("page 20"));
    }

    [Test]
    public async Task Pages_missing_a_resource_differ_from_the_unpaged_search()
    {
        var paged = await Walk(_ => Page(0, null, Household()[0].Resource));
        var failure = Assert.Throws<ConformanceFailure>(() => new SearchRules(TestChecks.Default()).RequireSameAs(paged, Household()));
        Assert.That(failure!.Message, Does.StartWith("[fhir-search-paging]").And.Contain("missing from the pages: Coverage/medical-2025, Coverage/dental, Coverage/jessica"));
    }

    [Test]
    public async Task A_page_that_is_not_a_searchset_fails_under_the_rule_given()
    {
        var failure = Assert.ThrowsAsync<ConformanceFailure>(() => Walk(_ => new Bundle { Type = Bundle.BundleType.Collection }));
        Assert.That(failure!.Message, Does.StartWith("[fhir-search-paging]").And.Contain("searchset"));
        await Task.CompletedTask;
    }

    private static Bundle WithPayors(Bundle.SearchEntryMode? mode, params string[] organizationIds)
    {
        var bundle = Page(0, null, Household()[0].Resource, Household()[2].Resource);
        ((Coverage)bundle.Entry[1].Resource!).Payor = [new ResourceReference("Organization/dental")];
        foreach (var id in organizationIds)
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = new Organization { Id = id }, Search = mode is null ? null : new Bundle.SearchComponent { Mode = mode } });
        return bundle;
    }

    [Test]
    public async Task Every_payor_included_and_marked_include_passes()
    {
        var paged = await Walk(_ => WithPayors(Bundle.SearchEntryMode.Include, "plan", "dental"), "Coverage?_include=Coverage:payor", SearchRules.IncludePayorRule);
        Assert.DoesNotThrow(() => new SearchRules(TestChecks.Default()).RequireIncludedPayors(paged, new Uri(Base)));
    }

    [TestCase(Bundle.SearchEntryMode.Include, new[] { "plan" }, "missing: Organization/dental")]
    [TestCase(Bundle.SearchEntryMode.Match, new[] { "plan", "dental" }, "returned without search.mode include")]
    [TestCase(null, new[] { "plan", "dental" }, "returned without search.mode include")]
    [TestCase(Bundle.SearchEntryMode.Include, new[] { "plan", "dental", "stranger" }, "also included: Organization/stranger")]
    public async Task Missing_unmarked_or_stray_payors_fail(Bundle.SearchEntryMode? mode, string[] included, string observed)
    {
        var paged = await Walk(_ => WithPayors(mode, included), "Coverage?_include=Coverage:payor", SearchRules.IncludePayorRule);
        var failure = Assert.Throws<ConformanceFailure>(() => new SearchRules(TestChecks.Default()).RequireIncludedPayors(paged, new Uri(Base)));
        Assert.That(failure!.Message, Does.StartWith("[c4dic-search-include-payor]").And.Contain(observed));
    }

    /// <summary>A payor written as an absolute URL counts only under the FHIR base (RFC 3986: the path compared exactly).</summary>
    [TestCase("https://FHIR.example/r4/Organization/dental", null)]
    [TestCase("https://fhir.example/R4/Organization/dental", "also included: Organization/dental")]
    [TestCase("https://other-payer.example/fhir/Organization/dental", "also included: Organization/dental")]
    public async Task A_payor_on_another_server_is_not_the_organization_included(string payor, string? observed)
    {
        var paged = await Walk(_ =>
        {
            var bundle = WithPayors(Bundle.SearchEntryMode.Include, "plan", "dental");
            ((Coverage)bundle.Entry[1].Resource!).Payor = [new ResourceReference(payor)];
            return bundle;
        }, "Coverage?_include=Coverage:payor", SearchRules.IncludePayorRule);
        void Judge() => new SearchRules(TestChecks.Default()).RequireIncludedPayors(paged, new Uri(Base));
        if (observed is null)
            Assert.DoesNotThrow(Judge);
        else
            Assert.That(Assert.Throws<ConformanceFailure>(Judge)!.Message, Does.StartWith("[c4dic-search-include-payor]").And.Contain(observed));
    }

    private static Bundle WithOutcome(Bundle bundle)
    {
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new OperationOutcome { Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Information, Code = OperationOutcome.IssueType.Informational }] },
            Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Outcome },
        });
        return bundle;
    }

    /// <summary>FHIR R4 3.1.1.4: a server may add an OperationOutcome (search.mode = outcome) to a searchset; it is no result.</summary>
    [Test]
    public async Task An_OperationOutcome_entry_marked_outcome_is_neither_a_match_nor_an_included_resource()
    {
        var paged = await Walk(_ => WithOutcome(WithPayors(Bundle.SearchEntryMode.Include, "plan", "dental")), "Coverage?_include=Coverage:payor", SearchRules.IncludePayorRule);
        Assert.Multiple(() =>
        {
            Assert.That(paged.Matches.Select(e => e.Reference), Is.EqualTo(new[] { "Coverage/medical", "Coverage/dental" }));
            Assert.DoesNotThrow(() => new SearchRules(TestChecks.Default()).RequireIncludedPayors(paged, new Uri(Base)));
        });

        using var http = new HttpClient(new ScriptedServer(_ => WithOutcome(Page(0, null, Household()[1].Resource))));
        var fhir = new FhirConversation(new FhirApi(http, new Uri(Base)));
        await fhir.WalkSearchAsync("Coverage", "status=cancelled");
        Assert.That(fhir.Found.Select(r => r.Reference), Is.EqualTo(new[] { "Coverage/medical-2025" }));
        Assert.DoesNotThrow(() => new SearchRules(TestChecks.Default()).RequireOnlyMatches(fhir.Found, StatusCancelled()));
    }

    /// <summary>Answers every GET with the Bundle the script gives for its URL.</summary>
    private sealed class ScriptedServer(Func<Uri, Bundle> serve) : HttpMessageHandler
    {
        protected override System.Threading.Tasks.Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            System.Threading.Tasks.Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(serve(request.RequestUri!).ToJson(), Encoding.UTF8, FhirApi.FhirJson),
            });
    }
}
