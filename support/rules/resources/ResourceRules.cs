using DigitalInsurance.Conformance.Support.Fhir;
using Hl7.Fhir.Model;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>Checks on what the member's resources say and how they refer to each other.</summary>
public sealed class ResourceRules(Check check)
{
    public void RequireReadOfType(FhirResponse response, string type)
    {
        var resource = new ResponseRules(check).RequireResource<Resource>(response, Requirements.FhirRead);
        check.That(resource.TypeName == type, Requirements.FhirRead, $"The read must return a {type}.", resource.TypeName);
    }

    /// <summary>The last read by id returned a resource, and it equals the copy the member's search found.</summary>
    public void RequireReadSameAsSearch(ReceivedResource? read, FhirResponse? response, IReadOnlyList<ReceivedResource> found)
    {
        if (check.Holds(read is not null, Requirements.FhirRead, "The read must return the resource.", response?.Describe()))
            RequireSameAsSearch(read!, found);
        else
            check.NotChecked(Requirements.FhirRead, "that the resource read equals the one found by search, as the read returned none");
    }

    public void RequireContainsPatient(FhirConversation fhir, string patientId) =>
        check.That(fhir.FoundOfType("Patient").Any(p => p.Resource.Id == patientId), Requirements.C4dicPatientProfile,
            "Searching Patient with the member's token must return the patient in context.",
            $"found {string.Join(", ", fhir.Found.Select(r => r.Reference).DefaultIfEmpty("nothing"))}");

    public void RequireAtLeastOne(FhirConversation fhir, string type) =>
        check.That(fhir.FoundOfType(type).Any(), Requirements.ProfileOf(type),
            $"The member's search must return at least one {type}.", "the searchset was empty");

    public void RequireBeneficiaryIs(FhirConversation fhir, string patientId)
    {
        foreach (var coverage in fhir.FoundOfType("Coverage").Select(r => (Coverage)r.Resource))
            check.That(FhirReference.Normalize(coverage.Beneficiary?.Reference, fhir.Api.BaseUrl) == $"Patient/{patientId}", Requirements.C4dicCoverageBeneficiary,
                $"Coverage/{coverage.Id} must name the member (Patient/{patientId}) as its beneficiary.",
                coverage.Beneficiary?.Reference ?? "no beneficiary");
    }

    /// <summary>
    /// Reads every Organization the found Coverages name as payor; each must be readable. Under a warn or off policy for
    /// c4dic-coverage-payor, payors that are not readable Organizations are left out (noted); with none left the scenario is skipped.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedResource>> ReadPayorsAsync(FhirConversation fhir)
    {
        var references = fhir.FoundOfType("Coverage").Select(r => (Coverage)r.Resource)
            .SelectMany(c => c.Payor.Select(p => FhirReference.Normalize(p.Reference, fhir.Api.BaseUrl)))
            .Distinct()
            .ToList();
        check.That(references.Count > 0, Requirements.C4dicCoveragePayor, "Every Coverage must name its payor.", "no payor reference");
        var organizations = new List<ReceivedResource>();
        foreach (var reference in references)
        {
            if (!check.Holds(reference?.StartsWith("Organization/", StringComparison.Ordinal) == true, Requirements.C4dicCoveragePayor,
                    "Coverage.payor must refer to an Organization the app can read.", reference switch
                    {
                        null => "a payor without a reference",
                        _ when Uri.IsWellFormedUriString(reference, UriKind.Absolute) =>
                            $"{reference}, on another server than the FHIR base {fhir.Api.BaseUrl}, where the member's token is not sent",
                        _ => reference,
                    }))
            {
                check.NotChecked(Requirements.C4dicCoveragePayor, $"the payor {reference ?? "without a reference"}, which does not refer to an Organization");
                continue;
            }
            var (organization, response) = await fhir.ReadAsync(reference!);
            if (check.Holds(organization is not null, Requirements.C4dicCoveragePayor, $"The payor {reference} must be readable with the member's token.", response.Describe()))
                organizations.Add(organization!);
            else
                check.NotChecked(Requirements.C4dicCoveragePayor, $"the profiles of the payor {reference}, which could not be read");
        }
        if (organizations.Count == 0)
            check.CannotContinue(Requirements.C4dicCoveragePayor, "whether the payors meet their profiles, as no payor Organization could be read");
        return organizations;
    }

    /// <summary>
    /// A resource read by id must be the one the search returned: the same type, id, meta.versionId and meta.lastUpdated.
    /// Not the same bytes: a server may add tags or format differently (FHIR R4 Meta.tag: applications are not required to
    /// consider tags when interpreting a resource, and tag changes do not change the version); what the copy says is
    /// judged by the profile checks, each on its own.
    /// </summary>
    public void RequireSameAsSearch(ReceivedResource read, IReadOnlyCollection<ReceivedResource> found)
    {
        var match = found.FirstOrDefault(f => f.Reference == read.Reference);
        if (!check.Holds(match is not null, Requirements.FhirRead, $"{read.Reference} read by id must also be found by the member's search.",
                $"the search returned {string.Join(", ", found.Select(f => f.Reference).DefaultIfEmpty("nothing"))}"))
        {
            check.NotChecked(Requirements.FhirRead, $"that {read.Reference} read by id equals the search's copy, as the search did not return it");
            return;
        }
        var differences = IdentityDifferences(match!.Resource, read.Resource);
        check.That(differences.Count == 0, Requirements.FhirRead,
            $"{read.Reference} read by id must be the same version as the resource found by search (type, id, meta.versionId, meta.lastUpdated).",
            string.Join("; ", differences));
    }

    public void RequireEveryReadMatchesSearch(FhirConversation fhir)
    {
        check.That(fhir.Reads.Count > 0, Requirements.FhirRead, "At least one resource must have been read.", "nothing was found to read");
        foreach (var (resource, response) in fhir.Reads)
        {
            if (check.Holds(response.Status == System.Net.HttpStatusCode.OK && resource is not null, Requirements.FhirRead,
                    "Every resource found by search must be readable by its id.", response.Describe()))
                RequireSameAsSearch(resource!, fhir.Found);
            else
                check.NotChecked(Requirements.FhirRead, $"that {response.RequestUri.PathAndQuery} equals the resource found by search, as its read returned none");
        }
    }

    /// <summary>How the two copies' identities differ, as "element: search copy vs read copy"; empty when they are the same version.</summary>
    public static IReadOnlyList<string> IdentityDifferences(Resource searched, Resource read)
    {
        var differences = new List<string>();
        void Compare(string element, string? bySearch, string? byRead)
        {
            if (!string.Equals(bySearch, byRead, StringComparison.Ordinal))
                differences.Add($"{element}: search {bySearch ?? "absent"}, read {byRead ?? "absent"}");
        }
        Compare("type", searched.TypeName, read.TypeName);
        Compare("id", searched.Id, read.Id);
        Compare("meta.versionId", searched.Meta?.VersionId, read.Meta?.VersionId);
        Compare("meta.lastUpdated", searched.Meta?.LastUpdated?.ToUniversalTime().ToString("O"), read.Meta?.LastUpdated?.ToUniversalTime().ToString("O"));
        return differences;
    }
}
