using System.Net;

namespace DigitalInsurance.Conformance.Support.Validation;

internal static class HtmlText
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>Profiles are long canonical URLs; the last segment (e.g. C4DIC-Coverage) is what a reader scans for.</summary>
    public static string ShortProfileName(string canonical)
    {
        var withoutVersion = canonical.Split('|')[0];
        var slash = withoutVersion.LastIndexOf('/');
        return slash >= 0 && slash < withoutVersion.Length - 1 ? withoutVersion[(slash + 1)..] : withoutVersion;
    }

    public static string ProfileCell(string? profiles) =>
        profiles is null
            ? ""
            : string.Join(", ", profiles.Split(", ").Select(p => $"<span title=\"{Encode(p)}\">{Encode(ShortProfileName(p))}</span>"));
}
