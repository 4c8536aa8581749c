using System.Net;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.Session;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// Tries the member's token on another member's resources. What counts as the other member's is what their own token
/// showed (<see cref="OtherMemberSession"/>): their Patient and the Coverages that do not name the member too. Their payor
/// Organizations do not count: FHIR R4's Patient compartment (compartmentdefinition-patient) has no Organization, so a
/// payer may serve any Organization to any member, and SMART's patient-specific scopes restrict only the compartment.
/// </summary>
public sealed class CompartmentRules(ConformanceScenario scenario, Check check)
{
    public static readonly Requirement Rule = Requirements.SmartPatientCompartment;

    private readonly List<(string Request, FhirResponse Response)> _reads = [];
    private readonly List<(string Request, string Outcome, IReadOnlyList<string> Returned)> _searches = [];
    private IReadOnlyList<string>? _foreign;

    private FhirConversation Fhir => scenario.Fhir;

    /// <summary>The other member's resources the member's token must not reach.</summary>
    public IReadOnlyList<string> Foreign => _foreign ?? throw new InvalidOperationException("A step must first learn the other member's resources.");

    public async Task LearnForeignResourcesAsync()
    {
        var other = await scenario.Run.OtherMember.GetAsync(scenario);
        var member = $"Patient/{scenario.PatientInContext}";

        var coverages = other.Coverages.Where(c => !c.Members.Contains(member)).Select(c => c.Reference).ToList();
        _foreign = [other.Patient, .. coverages];

        var notes = new List<string> { $"Checked with the member's token: {string.Join(", ", _foreign)}." };
        if (other.Payors.ToList() is { Count: > 0 } payors)
            notes.Add($"Not checked: the other member's payors ({string.Join(", ", payors)}). Organization is not in the FHIR R4 Patient " +
                      "compartment, so a payer may let any member read them.");
        var sharedCoverages = other.Coverages.Where(c => c.Members.Contains(member)).Select(c => c.Reference).ToList();
        if (sharedCoverages.Count > 0)
            notes.Add($"Not checked, because they name the member too: {string.Join(", ", sharedCoverages)}.");
        scenario.Evidence.AddText("The other member's resources the member's token must not reach", "text/plain", "txt", string.Join("\n", notes));
    }

    public async Task ReadEachAsync()
    {
        foreach (var reference in Foreign) _reads.Add((reference, await Fhir.GetAsync(reference)));
    }

    public void RequireReadsRefused()
    {
        check.That(_reads.Count > 0, Rule, "The app must have tried to read the other member's resources.", "nothing was read");
        var served = _reads.Where(r => r.Response.Status is not (HttpStatusCode.Forbidden or HttpStatusCode.NotFound))
            .Select(r => r.Response.Status == HttpStatusCode.OK ? $"{r.Request} was served (200)" : r.Response.Describe())
            .ToList();
        check.That(served.Count == 0, Rule,
            "Reading another member's resources with the member's patient-scoped token must be refused with 403 Forbidden or 404 Not Found.",
            string.Join("; ", served));
    }

    /// <summary>Searches each type without criteria, and by the other member's ids and patient reference.</summary>
    public async Task SearchAllAsync()
    {
        var ids = Foreign.Select(r => r.Split('/')).GroupBy(p => p[0], p => SearchMatching.Escape(p[1]))
            .ToDictionary(g => g.Key, g => string.Join(",", g));
        var requests = new List<string> { "Patient", "Coverage", "Organization" };
        requests.AddRange(ids.Select(kv => $"{kv.Key}?_id={Uri.EscapeDataString(kv.Value)}"));
        requests.Add($"Coverage?patient={Uri.EscapeDataString(Foreign[0])}");
        foreach (var request in requests) _searches.Add(await SearchAsync(request));
    }

    public void RequireAbsentFromSearches()
    {
        check.That(_searches.Count > 0, Rule, "The app must have searched with the member's token.", "no search was made");
        scenario.Evidence.AddText("Searches with the member's token", "text/plain", "txt",
            string.Join("\n", _searches.Select(s => $"{s.Request}: {s.Outcome}")));
        var foreign = Foreign.ToHashSet(StringComparer.Ordinal);
        var leaks = _searches.SelectMany(s => s.Returned.Where(foreign.Contains).Select(r => $"{s.Request} returned {r}")).ToList();
        check.That(leaks.Count == 0, Rule,
            "Searches with the member's patient-scoped token must not return another member's resources.",
            string.Join("; ", leaks));
    }

    /// <summary>A refusal (401, 403, 404) returns nothing; otherwise every page must be a searchset, and all their entries count.</summary>
    private async Task<(string, string, IReadOnlyList<string>)> SearchAsync(string request)
    {
        var response = await Fhir.GetAsync(request);
        if (response.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            return (Uri.UnescapeDataString(request), $"refused ({(int)response.Status})", []);
        var returned = new List<string>();
        for (var page = 1; ; page++)
        {
            var bundle = new ResponseRules(check).RequireSearchset(response, Rule);
            returned.AddRange(bundle.Entry.Where(e => e.Resource is not null).Select(e => $"{e.Resource!.TypeName}/{e.Resource.Id}"));
            var next = bundle.Link.FirstOrDefault(l => l.Relation == "next")?.Url;
            if (next is null || page == FhirConversation.MaxPages) break;
            response = await Fhir.GetAsync(next);
        }
        return (Uri.UnescapeDataString(request), $"returned {string.Join(", ", returned.DefaultIfEmpty("nothing"))}", returned);
    }
}
