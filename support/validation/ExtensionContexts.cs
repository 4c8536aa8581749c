using System.Text.RegularExpressions;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>
/// Decides extension contexts the Firely validator cannot: C4DIC 1.1.0 gives the BeneficiaryCostString extension the
/// context <c>Coverage.costToBeneficiary.value.ofType(Money)</c>, a FHIRPath expression, and Firely 6.8 / Validation 3.6
/// compares it as an element path, so it reports a correctly placed extension as "Extension used outside of appropriate
/// contexts". The harness evaluates the expression on the resource itself: the extension's parent element must be
/// among the expression's results. A misplaced extension still fails.
/// </summary>
internal static partial class ExtensionContexts
{
    public const string OutsideContextCode = "1028";

    /// <summary>
    /// Why the validator's "outside of appropriate contexts" finding at <paramref name="path"/> is wrong, or null when it
    /// stands (the path cannot be followed, no context is a FHIRPath expression, or none selects the extension's parent).
    /// </summary>
    public static string? WhyPlacementIsAllowed(Resource resource, string path, string message)
    {
        var at = ExtensionPath().Match(path);
        if (!at.Success) return null;
        var contexts = Context().Matches(message).Select(m => m.Groups["expression"].Value.Trim())
            .Where(expression => expression.Contains('(')) // plain element paths the validator decides itself
            .ToList();
        if (contexts.Count == 0) return null;

        try
        {
            var parents = resource.Select(at.Groups["parent"].Value, new FhirEvaluationContext()).OfType<Base>().ToList();
            if (parents.Count != 1) return null;
            foreach (var expression in contexts)
            {
                var selected = resource.Select(expression, new FhirEvaluationContext()).OfType<Base>();
                if (selected.Any(node => ReferenceEquals(node, parents[0])))
                    return $"Overruled by the harness: \"{message}\" The extension's context is the FHIRPath expression {expression}, which the " +
                           $"validator does not evaluate; evaluated on this resource it selects {at.Groups["parent"].Value}, where the extension is.";
            }
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            return null; // an expression the engine cannot evaluate leaves the validator's finding as it is
        }
        return null;
    }

    /// <summary>"Coverage.costToBeneficiary[6].value[0].extension[0]": the parent path and the extension's index.</summary>
    [GeneratedRegex(@"^(?<parent>.+)\.extension\[(?<index>\d+)\]$")]
    private static partial Regex ExtensionPath();

    /// <summary>"Expected context to be one of: {ELEMENT,Coverage.costToBeneficiary.value.ofType(Money)}".</summary>
    [GeneratedRegex(@"\{(?<type>[A-Za-z]+),(?<expression>[^{}]+)\}")]
    private static partial Regex Context();
}
