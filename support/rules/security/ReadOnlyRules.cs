using System.Net;
using System.Text.Json.Nodes;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.Session;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>A write the app tried with a read-only token: the answer, what changed on the server, and how the harness undid it.</summary>
/// <param name="Change">Null when the member's data read afterwards equals what was read before.</param>
/// <param name="Restoration">How the harness put the data back after a write that went through; null when nothing needed undoing.</param>
public sealed record WriteAttempt(string Request, FhirResponse Response, string? Change, string? Restoration);

/// <summary>
/// Tries create, update and delete with the member's read-only token and compares the member's data before and after.
/// Every probe carries a precondition that cannot hold (issue #13: never destroy a payer's data): PUT and DELETE an
/// If-Match with a version no server issues, POST an If-None-Exist matching the resource it copies. A server that refuses
/// the write for the token answers 401/403/405 (a gateway in front of it 400, 404 or 501); one that processes writes
/// answers 412/409 (or 200 for the conditional create) and keeps the data, and still fails the rule. A server that
/// ignores the preconditions and lets a write through is put back as far as its API allows (delete what was created, PUT
/// back what was changed or deleted), so later scenarios see the member's data as it was.
/// </summary>
public sealed class ReadOnlyRules(ConformanceScenario scenario, Check check)
{
    public static readonly Requirement Rule = Requirements.FhirReadOnly;

    /// <summary>A version no server issues: a server that evaluates If-Match before the token refuses the write with 412.</summary>
    internal const string ImpossibleVersion = "W/\"dic-conformance-never-a-version\"";

    /// <summary>Refusals of a write: the server's (401, 403, 405) or a gateway's in front of it (400, 404, 501).</summary>
    internal static readonly HttpStatusCode[] Refusals =
    [
        HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound,
        HttpStatusCode.MethodNotAllowed, HttpStatusCode.NotImplemented,
    ];

    private static readonly Dictionary<string, string> VersionGuard = new() { ["If-Match"] = ImpossibleVersion };

    private WriteAttempt? _attempt;

    private FhirConversation Fhir => scenario.Fhir;

    public WriteAttempt Attempt => _attempt ?? throw new InvalidOperationException("A step must first try a write.");

    /// <summary>The scenarios are about a read-only token: one that grants writes would make them meaningless.</summary>
    public void RequireReadOnlyToken()
    {
        var scope = scenario.Token?.Scope ?? scenario.Session?.Scope ?? "";
        var writable = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(GrantsWrites).ToList();
        if (writable.Count > 0)
            throw new HarnessSetupException(
                $"The write scenarios need a read-only token, but the token grants {string.Join(", ", writable)}: set scope to patient/*.read (runsettings parameter 'scope' or DIC_SCOPE).");
    }

    /// <summary>POSTs a copy (without id) of one of the member's resources of the type.</summary>
    public async Task TryCreateAsync(string resourceType)
    {
        RequireCreateMayBeSent(scenario.Run.Settings);
        var before = await HeldAsync(resourceType);
        var template = before.Values.FirstOrDefault()
            ?? throw new InvalidOperationException($"The member holds no {resourceType} to copy, so the create cannot be tried.");
        var copy = (Resource)template.DeepCopy();
        copy.Id = null;
        copy.Meta = null;
        // Conditional create (FHIR R4 http.html#ccreate): a server that processes it finds the copied resource and creates nothing.
        var guard = new Dictionary<string, string> { ["If-None-Exist"] = $"_id={template.Id}" };
        var response = await Fhir.Api.SendAsync(HttpMethod.Post, resourceType, copy.ToJson(), guard);

        var after = await HeldAsync(resourceType);
        var created = after.Keys.Except(before.Keys).ToList();
        if (IsSuccess(response) && CreatedAt(response, Fhir.Api.BaseUrl) is { } location && !created.Contains(location) && (await Fhir.ReadAsync(location)).Resource is not null)
            created.Add(location);
        var changes = created.Select(r => $"{r} was created").Concat(Differences(before, after)).ToList();

        string? restoration = null;
        if (created.Count > 0)
        {
            var undone = new List<string>();
            foreach (var reference in created)
                undone.Add($"DELETE {reference} answered {(int)(await Fhir.Api.SendAsync(HttpMethod.Delete, reference, null)).Status}");
            restoration = "the harness removed what was created: " + string.Join(", ", undone);
        }
        Record($"POST {resourceType}", response, changes, restoration);
    }

    /// <summary>PUTs the member's own Patient back with a changed family name.</summary>
    public async Task TryUpdatePatientAsync()
    {
        var reference = $"Patient/{scenario.PatientInContext}";
        var before = await ReadOwnAsync(reference);
        var changed = (Patient)before.Resource.DeepCopy();
        if (changed.Name.Count == 0) changed.Name.Add(new HumanName());
        changed.Name[0].Family = (changed.Name[0].Family ?? "") + "-Changed";
        var response = await Fhir.Api.SendAsync(HttpMethod.Put, reference, changed.ToJson(), VersionGuard);
        await CompareAndRestoreAsync($"PUT {reference}", response, before);
    }

    /// <summary>DELETEs one of the member's resources of the type.</summary>
    public async Task TryDeleteAsync(string resourceType)
    {
        var held = await HeldAsync(resourceType);
        var reference = held.Keys.FirstOrDefault()
            ?? throw new InvalidOperationException($"The member holds no {resourceType}, so the delete cannot be tried.");
        var before = await ReadOwnAsync(reference);
        var response = await Fhir.Api.SendAsync(HttpMethod.Delete, reference, null, VersionGuard);
        await CompareAndRestoreAsync($"DELETE {reference}", response, before);
    }

    /// <summary>
    /// FHIR R4 leaves conditional create to the server (CapabilityStatement.rest.resource.conditionalCreate says whether it
    /// is supported), so a payer that processes writes may ignore If-None-Exist and create the copy: unlike If-Match, nothing makes the create
    /// harmless. It is sent to the embedded sandbox, whose data is the run's own, and to an external payer only when the
    /// user says its data may change.
    /// </summary>
    internal static void RequireCreateMayBeSent(HarnessSettings settings)
    {
        if (settings.Target == TargetKind.External && !settings.AllowDataChangingProbes)
            throw new NUnit.Framework.IgnoreException(
                $"Not probed [{Rule.Id}]: a create cannot be made harmless on a payer that ignores If-None-Exist (FHIR R4 leaves " +
                "conditional create to the server), so it is not sent to an external payer. For a test payer whose data may change, " +
                "set allowDataChangingProbes=true (runsettings parameter, or DIC_ALLOW_DATA_CHANGING_PROBES).");
    }

    public void RequireRefused() => RequireRefused(Attempt);

    internal void RequireRefused(WriteAttempt attempt)
    {
        var status = attempt.Response.Status;
        var processed = status is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict
            ? "; the server evaluated the write's precondition instead of refusing the read-only token (the precondition kept the data)"
            : "";
        check.That(Refusals.Contains(status), Rule,
            $"{attempt.Request} with a read-only token must be refused: 401, 403 or 405 (or 400, 404 or 501 from a gateway in front of the server).",
            attempt.Response.Describe() + processed + (attempt.Restoration is null ? "" : $"; {attempt.Restoration}"));
    }

    public void RequireUnchanged()
    {
        var attempt = Attempt;
        check.That(attempt.Change is null, Rule,
            $"After {attempt.Request} with a read-only token, the member's data read again must equal what was read before.",
            attempt.Change + (attempt.Restoration is null ? "" : $"; {attempt.Restoration}"));
    }

    private async Task CompareAndRestoreAsync(string request, FhirResponse response, ReceivedResource before)
    {
        var (after, afterResponse) = await Fhir.ReadAsync(before.Reference);
        var change = after is null
            ? $"{before.Reference} now answers {(int)afterResponse.Status} {afterResponse.Status}"
            : before.Resource.IsExactly(after.Resource) ? null : $"{before.Reference} changed ({ChangedElements(before.Json, after.Json)})";

        string? restoration = null;
        if (change is not null || IsSuccess(response))
        {
            var put = await Fhir.Api.SendAsync(HttpMethod.Put, before.Reference, before.Json);
            restoration = $"the harness put {before.Reference} back as it was read before: PUT answered {(int)put.Status}";
        }
        Record(request, response, change is null ? [] : [change], restoration);
    }

    private void Record(string request, FhirResponse response, IReadOnlyList<string> changes, string? restoration)
    {
        _attempt = new WriteAttempt(request, response, changes.Count == 0 ? null : string.Join("; ", changes), restoration);
        scenario.Evidence.AddText($"Write attempt: {request}", "text/plain", "txt",
            $"{response.Describe()}\nChange seen when reading again: {_attempt.Change ?? "none"}" +
            (restoration is null ? "" : $"\nRestoration: {restoration}"));
    }

    /// <summary>The member's resources of the type, by reference, as a search without criteria returns them.</summary>
    private async Task<Dictionary<string, Resource>> HeldAsync(string resourceType)
    {
        await new SearchRules(check).SearchAsync(Fhir, resourceType, null, Requirements.FhirSearch);
        return Fhir.FoundOfType(resourceType).GroupBy(r => r.Reference).ToDictionary(g => g.Key, g => g.First().Resource);
    }

    private async Task<ReceivedResource> ReadOwnAsync(string reference)
    {
        var (resource, response) = await Fhir.ReadAsync(reference);
        if (!check.Holds(resource is not null, Requirements.FhirRead, $"The member's own {reference} must be readable with their token.", response.Describe()))
            check.CannotContinue(Requirements.FhirRead, $"whether a write to {reference} with a read-only token changes it, as it cannot be read to compare before and after");
        return resource!;
    }

    private static IEnumerable<string> Differences(Dictionary<string, Resource> before, Dictionary<string, Resource> after)
    {
        foreach (var (reference, resource) in before)
        {
            if (!after.TryGetValue(reference, out var now)) yield return $"{reference} is gone";
            else if (!resource.IsExactly(now)) yield return $"{reference} changed";
        }
    }

    /// <summary>Top-level elements whose JSON differs, e.g. "name, meta".</summary>
    internal static string ChangedElements(string beforeJson, string afterJson)
    {
        try
        {
            var before = JsonNode.Parse(beforeJson)!.AsObject();
            var after = JsonNode.Parse(afterJson)!.AsObject();
            var names = before.Select(p => p.Key).Union(after.Select(p => p.Key))
                .Where(name => !JsonNode.DeepEquals(before[name], after[name]))
                .ToList();
            return names.Count == 0 ? "only in formatting" : "elements " + string.Join(", ", names);
        }
        catch (System.Text.Json.JsonException)
        {
            return "its JSON differs";
        }
    }

    private static string? CreatedAt(FhirResponse response, Uri fhirBase) =>
        response.Headers.TryGetValue("Location", out var location) ? FhirReference.Normalize(location, fhirBase) : null;

    private static bool IsSuccess(FhirResponse response) => (int)response.Status is >= 200 and < 300;

    /// <summary>SMART v1 write or * access, or v2 permissions with c, u or d (patient/Coverage.cud).</summary>
    internal static bool GrantsWrites(string scope)
    {
        var slash = scope.IndexOf('/');
        var dot = scope.LastIndexOf('.');
        if (slash < 0 || dot < slash) return false;
        var access = scope[(dot + 1)..].Split('?')[0];
        return access is "write" or "*" || (access != "read" && access.All(c => "cruds".Contains(c)) && access.IndexOfAny(['c', 'u', 'd']) >= 0);
    }
}
