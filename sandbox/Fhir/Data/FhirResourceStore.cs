using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Data;

/// <summary>
/// The sandbox's resources in memory, in the order they were loaded (which is the order searches return them).
/// Stored resources are never mutated: a write replaces the object, so readers can use what they got without locking.
/// </summary>
internal sealed class FhirResourceStore
{
    private readonly object _gate = new();
    private readonly List<Resource> _ordered = [];

    public FhirResourceStore(IEnumerable<Resource> resources)
    {
        foreach (var resource in resources) Put(resource);
    }

    /// <summary>Data files served as they are although FHIR R4 does not allow some of their content: "'file': what".</summary>
    public IReadOnlyList<string> LoadWarnings { get; init; } = [];

    /// <summary>Every resource, in store order.</summary>
    public IReadOnlyList<Resource> All()
    {
        lock (_gate) return _ordered.ToArray();
    }

    public IReadOnlyList<Resource> OfType(string resourceType)
    {
        lock (_gate) return _ordered.Where(r => r.TypeName == resourceType).ToArray();
    }

    public Resource? Find(string resourceType, string id)
    {
        lock (_gate) return _ordered.FirstOrDefault(r => r.TypeName == resourceType && r.Id == id);
    }

    /// <summary>Adds the resource, or replaces the one with the same type and id in its place.</summary>
    /// <returns>True if it replaced an existing resource.</returns>
    public bool Put(Resource resource)
    {
        if (string.IsNullOrEmpty(resource.Id)) throw new ArgumentException("A stored resource needs an id.", nameof(resource));
        lock (_gate)
        {
            var index = _ordered.FindIndex(r => r.TypeName == resource.TypeName && r.Id == resource.Id);
            if (index >= 0)
            {
                _ordered[index] = resource;
                return true;
            }
            _ordered.Add(resource);
            return false;
        }
    }

    public bool Remove(string resourceType, string id)
    {
        lock (_gate) return _ordered.RemoveAll(r => r.TypeName == resourceType && r.Id == id) > 0;
    }
}
