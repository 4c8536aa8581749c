using System.Globalization;
using System.Text;

namespace DemoHealthPlan.Sandbox.Fhir.Search;

/// <summary>The escaping rules of FHIR search values (\, \| \$ \\) and the folding used by string search.</summary>
/// <remarks>
/// Written apart from the harness's search matching on purpose (some lines alike): the sandbox is the server the harness
/// judges, and the two sharing code would hide a mistake they share.
/// </remarks>
internal static class SearchSyntax
{
    /// <summary>Splits on separators that are not escaped with a backslash; the parts keep their escapes.</summary>
    public static List<string> Split(string value, char separator)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length)
            {
                current.Append(c).Append(value[++i]);
                continue;
            }
            if (c == separator)
            {
                parts.Add(current.ToString());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        parts.Add(current.ToString());
        return parts;
    }

    public static string Unescape(string value)
    {
        if (!value.Contains('\\')) return value;
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length) i++;
            result.Append(value[i]);
        }
        return result.ToString();
    }

    /// <summary>Case- and accent-insensitive form for string search ("Müller" finds "muller").</summary>
    public static string Fold(string value)
    {
        var decomposed = value.Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                kept.Append(c);
        return kept.ToString().Normalize(NormalizationForm.FormC).ToLowerInvariant();
    }
}
