using System.Text;

namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>One Must Support element or slice of a profile and whether the resources examined populate it.</summary>
/// <param name="ElementId">The snapshot element id, with slice names (e.g. <c>Coverage.class:group.value</c>).</param>
/// <param name="SliceName">Set when the element is itself a slice (e.g. <c>group</c>).</param>
/// <param name="PopulatedIn">How many of the resources examined populate it.</param>
/// <param name="Note">Why it is not populated when that follows from an ancestor, e.g. "parent Coverage.class:group is not populated".</param>
/// <param name="DemonstratedBy">
/// Set when the element is not populated but need not be: the profile makes it one side of an exclusive choice (an
/// invariant "A xor B") whose other side the resources populate, e.g. costToBeneficiary.valueMoney's value and currency
/// against the BeneficiaryCostString extension. A payer can send only one side, so either side shows support for both.
/// </param>
/// <param name="NotApplicable">
/// Set when the element is not populated and cannot be: a slice only a provider organization has (NPI, CLIA) while
/// every Organization examined is a payer. It is not counted.
/// </param>
public sealed record MustSupportElement(string ElementId, string Path, string? SliceName, int PopulatedIn, string? Note, string? DemonstratedBy = null, string? NotApplicable = null)
{
    public bool Populated => PopulatedIn > 0;

    /// <summary>Populated, or covered by the populated other side of an exclusive choice.</summary>
    public bool Demonstrated => Populated || DemonstratedBy is not null;

    /// <summary>Counted in the verdict: everything but what the resources' role makes impossible to populate.</summary>
    public bool Counted => NotApplicable is null;
}

/// <summary>
/// Must Support coverage of a set of resources against one profile: every element and slice the profile marks Must
/// Support, and whether at least one resource populates it. The report only describes; <see cref="MustSupportRules"/>
/// judges it: an element no resource populates is not demonstrated ([c4dic-must-support] skips the scenario, or fails it
/// when the policy makes the rule required).
/// </summary>
public sealed record MustSupportReport(string Profile, string ResourceType, int ResourceCount, IReadOnlyList<MustSupportElement> Elements)
{
    /// <summary>The elements neither populated nor demonstrated by the other side of an exclusive choice.</summary>
    public IReadOnlyList<MustSupportElement> NotPopulated => Elements.Where(e => e.Counted && !e.Demonstrated).ToList();

    public string Summary =>
        $"{HtmlText.ShortProfileName(Profile)}: {Elements.Count(e => e.Demonstrated)} of {Elements.Count(e => e.Counted)} Must Support elements populated " +
        $"in {ResourceCount} {ResourceType} resource{(ResourceCount == 1 ? "" : "s")}" +
        (Elements.Count(e => !e.Counted) is > 0 and var notApplicable ? $" ({notApplicable} not applicable)" : "");

    /// <summary>One line per Must Support element: populated or not, and in how many resources.</summary>
    public string ToText() =>
        string.Join(Environment.NewLine, Elements.Select(e =>
            $"{(e.Populated ? "populated    " : e.Demonstrated ? "demonstrated " : !e.Counted ? "n/a          " : "not populated")} {e.ElementId} ({e.PopulatedIn} of {ResourceCount}){(Remark(e) is { } remark ? $" — {remark}" : "")}"));

    private static string? Remark(MustSupportElement element) =>
        element.DemonstratedBy is { } by ? $"demonstrated by {by}" : !element.Counted ? $"not applicable: {element.NotApplicable}" : element.Note;

    public string ToHtmlTable()
    {
        var html = new StringBuilder();
        html.Append("<table class=\"fhir-must-support\" style=\"border-collapse:collapse;font-family:sans-serif;font-size:13px\">");
        html.Append("<caption style=\"text-align:left;font-weight:bold;padding:4px\">").Append(HtmlText.Encode(Summary)).Append("</caption>");
        html.Append("<thead><tr>");
        foreach (var heading in new[] { "Element", "Slice", "Populated", "Resources", "Note" })
            html.Append("<th style=\"text-align:left;border-bottom:1px solid #999;padding:4px\">").Append(heading).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var element in Elements)
        {
            html.Append("<tr>")
                .Append("<td style=\"padding:4px;font-family:monospace\">").Append(HtmlText.Encode(element.ElementId)).Append("</td>")
                .Append("<td style=\"padding:4px\">").Append(HtmlText.Encode(element.SliceName)).Append("</td>")
                .Append($"<td style=\"padding:4px;color:{(element.Demonstrated || !element.Counted ? "#1b5e20" : "#a15c00")};font-weight:bold\">")
                .Append(element.Populated ? "yes" : element.Demonstrated ? "by its alternative" : !element.Counted ? "not applicable" : "no").Append("</td>")
                .Append("<td style=\"padding:4px\">").Append($"{element.PopulatedIn} of {ResourceCount}").Append("</td>")
                .Append("<td style=\"padding:4px\">").Append(HtmlText.Encode(Remark(element))).Append("</td>")
                .Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    public override string ToString() => Summary;
}
