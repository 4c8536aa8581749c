namespace DemoHealthPlan.Sandbox.Faults;

/// <summary>
/// Named, deliberate differences from the sandbox's default behaviour that a conformant payer may show: each one is
/// allowed by the specifications (its description quotes the text that allows it). The detection suite runs the
/// conformance suite against each of them to prove the harness passes conformant payers that differ from this sandbox.
/// Unlike <see cref="SandboxFaults"/>, a variation never breaks a rule.
/// </summary>
public sealed class SandboxVariations
{
    /// <summary>
    /// Every variation the sandbox knows, with what it changes and the spec text that allows it. Adding a variation means
    /// adding it here (and a sandbox test naming it, and an entry in the detection suite's "variations").
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["searchset-outcome-entry"] =
            "Every searchset carries an OperationOutcome entry with search.mode = outcome. FHIR R4 3.1.1.4 (search.html#errors): " +
            "\"the server SHOULD return ... an OperationOutcome ... in the search set with search.mode = outcome\"; Bundle.entry.search.mode " +
            "\"outcome: an OperationOutcome that provides additional information about the processing of a search\".",
        ["read-differs-in-meta-tag"] =
            "A read by id carries a meta.tag the search copy lacks. FHIR R4 Meta.tag: \"Tags ... applications are not required to " +
            "consider the tags when interpreting the meaning of a resource\"; changes to tags do not change the version (resource.html#tag).",
        ["cost-as-extension"] =
            "Coverage.costToBeneficiary gives every cost as the C4DIC BeneficiaryCostString extension on valueMoney instead of value " +
            "and currency. C4DIC 1.0.0/1.1.0 invariant ValueMoney-details-or-extension: \"(value.exists() and currency.exists()) xor " +
            "extension.where(url='…C4DIC-BeneficiaryCostString-extension').exists()\": either side, never both.",
        ["other-member-organization-readable"] =
            "Every Organization is readable and searchable with any member's token, other members' payors too (their Patient and " +
            "Coverages stay out of reach). FHIR R4 Patient compartment (compartmentdefinition-patient.html) lists no Organization: " +
            "Organization is not in the Patient compartment, so patient-scoped access does not restrict it.",
        ["patient-without-gender"] =
            "Patient resources carry no gender and claim only C4DIC-Patient in meta.profile. C4DIC-Patient (1.0.0 and 1.1.0) derives " +
            "from base Patient, where gender is 0..1: \"a data-minimized version of Patient ... Information that would normally not " +
            "appear on a health insurance card is not required\"; only US Core Patient (not required by C4DIC) makes gender 1..1.",
    };

    private readonly HashSet<string> _active;

    public SandboxVariations(IEnumerable<string> active)
    {
        var names = active.Select(n => n.Trim()).Where(n => n.Length > 0).ToList();
        var unknown = names.Where(n => !Known.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
            throw new SandboxConfigurationException(
                $"Unknown sandbox variation(s): {string.Join(", ", unknown)}. Known variations: " +
                $"{(Known.Count == 0 ? "none" : string.Join(", ", Known.Keys))}. " +
                "Set Sandbox:Variations to a comma-separated list of known names, or leave it empty.");
        _active = new HashSet<string>(names, StringComparer.Ordinal);
    }

    public static SandboxVariations None { get; } = new(Array.Empty<string>());

    public IReadOnlyCollection<string> Active => _active;

    public bool IsOn(string name)
    {
        if (!Known.ContainsKey(name)) throw new ArgumentException($"'{name}' is not a known variation.", nameof(name));
        return _active.Contains(name);
    }
}
