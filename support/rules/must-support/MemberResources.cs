using DigitalInsurance.Conformance.Support.Fhir;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// Every resource of a type that the member's token can get, the ways the member's app gets them: Patient by search
/// and the patient in context by read; Coverage by search, with and without <c>patient=</c>; Organization by search
/// and every Coverage's payor, followed as a reference. Each resource once, in the order first received.
/// </summary>
public sealed class MemberResources(SearchRules searchRules)
{
    public static readonly IReadOnlyList<string> Types = ["Patient", "Coverage", "Organization"];

    public async Task<GatheredResources> GatherAsync(FhirConversation fhir, string resourceType, string patientId, CancellationToken cancellationToken = default)
    {
        var gathered = new Dictionary<string, ReceivedResource>(StringComparer.Ordinal);
        var payors = new HashSet<string>(StringComparer.Ordinal);
        void Keep(IEnumerable<ReceivedResource> resources)
        {
            foreach (var resource in resources.Where(r => r.TypeName == resourceType)) gathered.TryAdd(resource.Reference, resource);
        }

        switch (resourceType)
        {
            case "Patient":
                await searchRules.SearchAsync(fhir, "Patient", null, Requirements.FhirSearch, cancellationToken);
                Keep(fhir.Found);
                if (!gathered.ContainsKey($"Patient/{patientId}") && (await fhir.ReadAsync($"Patient/{patientId}", cancellationToken)).Resource is { } patient)
                    Keep([patient]);
                break;
            case "Coverage":
                Keep(await CoveragesAsync(fhir, patientId, cancellationToken));
                break;
            case "Organization":
                await searchRules.SearchAsync(fhir, "Organization", null, Requirements.FhirSearch, cancellationToken);
                Keep(fhir.Found);
                var resolved = (await new ReferenceResolver(fhir).ResolveAllAsync(await CoveragesAsync(fhir, patientId, cancellationToken), "Coverage.payor", cancellationToken))
                    .Select(p => p.Target).OfType<ReceivedResource>().ToList();
                Keep(resolved);
                payors.UnionWith(resolved.Select(p => p.Reference));
                break;
            default:
                throw new ArgumentException($"The member's resources are gathered for {string.Join(", ", Types)}, not {resourceType}.", nameof(resourceType));
        }
        return new GatheredResources(gathered.Values.ToList(), payors);
    }

    /// <summary>The member's Coverages: those a plain search returns (a subscriber may see a dependant's) and those of the patient in context.</summary>
    private async Task<IReadOnlyList<ReceivedResource>> CoveragesAsync(FhirConversation fhir, string patientId, CancellationToken cancellationToken)
    {
        await searchRules.SearchAsync(fhir, "Coverage", null, Requirements.FhirSearch, cancellationToken);
        var coverages = fhir.Found.ToList();
        await searchRules.SearchAsync(fhir, "Coverage", $"patient={Uri.EscapeDataString(patientId)}", Requirements.FhirSearch, cancellationToken);
        return coverages.Concat(fhir.Found).Where(r => r.TypeName == "Coverage").DistinctBy(r => r.Reference).ToList();
    }
}

/// <summary>What <see cref="MemberResources.GatherAsync"/> found: the resources, and (for Organization) which of them some Coverage names as its payor.</summary>
public sealed record GatheredResources(IReadOnlyList<ReceivedResource> Resources, IReadOnlySet<string> Payors);
