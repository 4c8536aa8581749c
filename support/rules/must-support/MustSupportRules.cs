using DigitalInsurance.Conformance.Support.Validation;
using DigitalInsurance.Conformance.Support.Reporting;
using Hl7.Fhir.Model;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// The Must Support verdict on everything of one type the member can get: attaches a per-element table for each of the
/// manifest's profiles of the type, and fails <see cref="Rule"/> naming every element and slice no resource populates.
/// </summary>
/// <remarks>
/// C4DIC, General Guidance, Must Support: "Health Plan API actors SHALL be capable of populating all data elements as
/// part of the query results"; "Conformance to US Core Profiles": a Health Plan API actor SHALL "be able to populate all
/// profile data elements that have a minimum cardinality &gt;= 1 and/or flagged as Must Support". A payer can only show
/// it is capable by populating them in the data the member gets. An element no resource populates is therefore "not
/// demonstrated": a fact about the test member's data, not proof the payer cannot populate it, so by default the scenario
/// ends skipped with the elements listed; <c>c4dic-must-support=required</c> makes it fail (a payer whose test member is
/// meant to carry every element). A populated element with a wrong value fails through profile validation, not here.
/// </remarks>
public sealed class MustSupportRules(Check check)
{
    public static readonly Requirement Rule = Requirements.C4dicMustSupport;

    /// <param name="payors">References of the Organizations the member's Coverages name as payor: a payer's provider-only slices (NPI, CLIA) are not counted.</param>
    public IReadOnlyList<MustSupportReport> RequireEveryElementPopulated(
        ConformanceValidator validator, ScenarioEvidence evidence, string resourceType, IReadOnlyList<Resource> resources, IReadOnlySet<string>? payors = null)
    {
        var profiles = validator.ProfilesFor(resourceType);
        if (profiles.Count == 0)
            throw new ValidationSetupException($"The manifest {validator.Manifest.SourceFile} lists no profile for {resourceType}.");
        if (resources.Count == 0)
            check.NotDemonstrated(Rule, $"The member must be able to get at least one {resourceType}, to show its Must Support elements.",
                "the member's token got none");

        var reports = profiles.Select(profile => validator.AnalyzeMustSupport(profile, resources, payors)).ToList();
        foreach (var report in reports)
            evidence.AddText($"Must Support: {report.Summary}", "text/html", "html", report.ToHtmlTable());

        var gaps = reports.Where(r => r.NotPopulated.Count > 0).Select(DescribeGaps).ToList();
        if (gaps.Count > 0)
            check.NotDemonstrated(Rule,
            $"Together, the {resourceType} resources the member can get must populate every Must Support element and slice of " +
            $"{string.Join(" and ", profiles.Select(HtmlText.ShortProfileName))}.",
            string.Join("; ", gaps));
        return reports;
    }

    /// <summary>"C4DIC-Coverage: 2 of 41 Must Support elements not populated in 3 resources: Coverage.class:rxbin, Coverage.period (…)".</summary>
    internal static string DescribeGaps(MustSupportReport report)
    {
        var missing = report.NotPopulated;
        return $"{HtmlText.ShortProfileName(report.Profile)}: {missing.Count} of {report.Elements.Count} Must Support elements not populated " +
               $"in {report.ResourceCount} {report.ResourceType} resource{(report.ResourceCount == 1 ? "" : "s")}: " +
               string.Join(", ", missing.Select(e => e.Note is null ? e.ElementId : $"{e.ElementId} ({e.Note})"));
    }
}
