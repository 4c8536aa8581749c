using DemoHealthPlan.Sandbox.Fhir.Data;
using DemoHealthPlan.Sandbox.Fhir.Search;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Access;

/// <summary>
/// The resources one caller may see: the member's Patient compartment (their Patient, the Coverages naming them as
/// beneficiary or subscriber, and those Coverages' payors) or, with the cross-patient-read fault, everything.
/// Membership is decided with the same search parameters clients use (_id, beneficiary, subscriber, payor).
/// </summary>
internal sealed class FhirView
{
    private readonly IReadOnlyList<Resource> _visible;

    private FhirView(IReadOnlyList<Resource> visible) => _visible = visible;

    public static FhirView Everything(FhirResourceStore store) => new(store.All());

    public static FhirView PatientCompartment(FhirResourceStore store, string patientId, DateTimeOffset now)
    {
        var all = store.All();
        var patient = $"Patient/{patientId}";
        var patients = Select(all, now, "Patient", ("_id", Escape(patientId)));
        var coverages = Select(all, now, "Coverage", ("beneficiary", patient))
            .Union(Select(all, now, "Coverage", ("subscriber", patient)))
            .ToHashSet();
        var payorCriterion = SearchRequest.Parse("Coverage", [new("_include", "Coverage:payor")], now);
        var payors = SearchEngine.Included(payorCriterion, coverages.ToList(), (type, id) => all.FirstOrDefault(r => r.TypeName == type && r.Id == id));
        var representatives = Select(all, now, "RelatedPerson", ("patient", patient));
        var visible = patients.Concat(coverages).Concat(payors).Concat(representatives).ToHashSet();
        return new FhirView(all.Where(visible.Contains).ToList());
    }

    /// <summary>This view plus every resource of <paramref name="resourceType"/> in the store (for a type outside the Patient compartment).</summary>
    public FhirView WithEvery(FhirResourceStore store, string resourceType) =>
        new(store.All().Where(r => r.TypeName == resourceType || _visible.Contains(r)).ToList());

    public IEnumerable<Resource> OfType(string resourceType) => _visible.Where(r => r.TypeName == resourceType);

    public Resource? Find(string resourceType, string id) =>
        _visible.FirstOrDefault(r => r.TypeName == resourceType && r.Id == id);

    private static IReadOnlyList<Resource> Select(IReadOnlyList<Resource> all, DateTimeOffset now, string type, (string Name, string Value) criterion) =>
        SearchEngine.Matches(SearchRequest.Parse(type, [new(criterion.Name, criterion.Value)], now), all);

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace(",", "\\,").Replace("|", "\\|").Replace("$", "\\$");
}
