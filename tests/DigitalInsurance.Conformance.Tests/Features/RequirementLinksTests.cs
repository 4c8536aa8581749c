using DigitalInsurance.Conformance.Support.Reporting;
using DigitalInsurance.Conformance.Support.Rules;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Features;

/// <summary>The Allure link of each @req tag leads to its source as the catalogue names it.</summary>
public class RequirementLinksTests
{
    [Test]
    public void Each_requirement_tag_links_to_its_source_once()
    {
        AllureLabel[] labels =
        [
            new("tag", "token"), new("tag", "req:smart-token-no-store"), new("tag", "req:smart-token-no-store"),
            new("tag", "req:c4dic-coverage-profile"), new("feature", "req:fhir-read"),
        ];
        var links = RequirementLinks.For(labels).ToList();
        Assert.That(links.Select(l => l.Url), Is.EqualTo(new[]
        {
            Requirements.SmartTokenNoStore.Source.Url, Requirements.C4dicCoverageProfile.Source.Url,
        }));
        Assert.That(links[0].Name, Does.StartWith("smart-token-no-store: RFC 6749"));
    }

    [Test]
    public void Rules_without_a_URL_and_unknown_ids_get_no_link() =>
        Assert.That(RequirementLinks.For([new("tag", "req:harness-preflight"), new("tag", "req:no-such-rule")]), Is.Empty);
}
