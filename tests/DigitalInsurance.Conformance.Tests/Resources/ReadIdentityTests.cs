using DigitalInsurance.Conformance.Support.Rules;
using Hl7.Fhir.Model;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Resources;

/// <summary>A read copy is the search's copy when type, id, versionId and lastUpdated agree; tags and formatting do not count.</summary>
public class ReadIdentityTests
{
    private static Coverage Searched() => new()
    {
        Id = "medical",
        Meta = new Meta { VersionId = "3", LastUpdated = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) },
        Status = FinancialResourceStatusCodes.Active,
    };

    [Test]
    public void A_read_copy_with_an_extra_meta_tag_is_the_same_version()
    {
        var read = Searched();
        read.Meta!.Tag.Add(new Coding("http://terminology.hl7.org/CodeSystem/common-tags", "actionable"));
        read.Meta.LastUpdated = new DateTimeOffset(2026, 1, 1, 22, 4, 5, TimeSpan.FromHours(-5)); // the same instant, another offset
        Assert.That(ResourceRules.IdentityDifferences(Searched(), read), Is.Empty);
    }

    [Test]
    public void Another_version_id_or_last_updated_is_a_different_resource_version()
    {
        var read = Searched();
        read.Meta!.VersionId = "4";
        read.Meta.LastUpdated = read.Meta.LastUpdated!.Value.AddSeconds(1);
        Assert.That(ResourceRules.IdentityDifferences(Searched(), read), Is.EqualTo(new[]
        {
            "meta.versionId: search 3, read 4",
            "meta.lastUpdated: search 2026-01-02T03:04:05.0000000+00:00, read 2026-01-02T03:04:06.0000000+00:00",
        }));
    }

    [Test]
    public void A_copy_without_meta_differs_from_one_with_a_version()
    {
        var read = Searched();
        read.Meta = null;
        Assert.That(ResourceRules.IdentityDifferences(Searched(), read), Has.Exactly(2).Contains("read absent"));
    }
}
