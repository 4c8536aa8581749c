using System.Globalization;
using DemoHealthPlan.Sandbox.Faults;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Variations;

/// <summary>
/// The data variations: each serves a resource differently but conformantly (a copy; the store and searches are
/// unaffected). Applied after the data faults, so a fault and a variation can be combined.
/// </summary>
internal static class ServedResourceVariations
{
    public const string BeneficiaryCostStringUrl = "http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-BeneficiaryCostString-extension";

    public const string UsCorePatientProfile = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient";

    public static Resource Apply(Resource resource, SandboxVariations variations) => resource switch
    {
        Coverage coverage when variations.IsOn("cost-as-extension") && coverage.CostToBeneficiary.Any(c => c.Value is Money { Value: not null }) =>
            CostsAsText(coverage),
        Patient patient when variations.IsOn("patient-without-gender") => WithoutGender(patient),
        _ => resource,
    };

    /// <summary>A data-minimized Patient: no gender, and so no claim to US Core Patient (which requires gender) in meta.profile.</summary>
    private static Patient WithoutGender(Patient patient)
    {
        var copy = (Patient)patient.DeepCopy();
        copy.Gender = null;
        if (copy.Meta is not null) copy.Meta.Profile = copy.Meta.Profile.Where(p => p is not null && !p.StartsWith(UsCorePatientProfile, StringComparison.Ordinal)).ToList();
        return copy;
    }

    /// <summary>Every cost given as an amount becomes the BeneficiaryCostString extension on valueMoney, e.g. "$25.00".</summary>
    private static Coverage CostsAsText(Coverage coverage)
    {
        var copy = (Coverage)coverage.DeepCopy();
        foreach (var cost in copy.CostToBeneficiary.Where(c => c.Value is Money { Value: not null }))
        {
            var money = (Money)cost.Value;
            var text = money.Currency == Money.Currencies.USD
                ? "$" + money.Value!.Value.ToString("0.00", CultureInfo.InvariantCulture)
                : $"{money.Value!.Value.ToString("0.00", CultureInfo.InvariantCulture)} {money.Currency}";
            cost.Value = new Money { Extension = [new Extension(BeneficiaryCostStringUrl, new FhirString(text))] };
        }
        return copy;
    }
}
