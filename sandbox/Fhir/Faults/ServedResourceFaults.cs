using DemoHealthPlan.Sandbox.Faults;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Faults;

/// <summary>
/// The data faults: each spoils one element of the resources as they are served (a copy; the store and searches are
/// unaffected, so nothing but the served content changes).
/// </summary>
internal static class ServedResourceFaults
{
    public const string InvalidGender = "invalid-gender";

    public static Resource Apply(Resource resource, SandboxFaults faults)
    {
        switch (resource)
        {
            case Coverage coverage when faults.IsOn("coverage-missing-beneficiary"):
                var withoutBeneficiary = (Coverage)coverage.DeepCopy();
                withoutBeneficiary.Beneficiary = null!;
                return withoutBeneficiary;
            case Patient patient when faults.IsOn("patient-invalid-gender"):
                var withBadGender = (Patient)patient.DeepCopy();
                // The SDK keeps a code outside the enum as its literal value, and writes it back out as given.
                withBadGender.GenderElement = new Code<AdministrativeGender> { JsonValue = InvalidGender };
                return withBadGender;
            case Organization organization when faults.IsOn("organization-missing-name"):
                var withoutName = (Organization)organization.DeepCopy();
                withoutName.Name = null;
                return withoutName;
            default:
                return resource;
        }
    }
}
