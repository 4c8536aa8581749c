using DemoHealthPlan.Sandbox.Auth;
using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir.Members;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Access;

/// <summary>
/// Turns a request's bearer token into a <see cref="FhirCaller"/> with the authorization server's validation
/// (<see cref="SandboxAuthentication"/>); a missing or bad token is a 401 OperationOutcome with a WWW-Authenticate challenge.
/// </summary>
internal sealed class FhirAuthentication(SandboxFaults faults, MemberDirectory members)
{
    private const string Realm = "Demo Health Plan FHIR API";

    public async Task<FhirCaller> AuthenticateAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(authorization))
        {
            if (faults.IsOn("fhir-without-token") && members.First() is { } member)
                return new FhirCaller(member.PatientId, [SmartScopeGrants.ReadAll]);
            throw Unauthorized(null, "This request needs an access token: send 'Authorization: Bearer <token>'.");
        }
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            throw Unauthorized("invalid_request", "The Authorization header must use the Bearer scheme.");

        // The authorization server's own validation (signature, issuer, lifetime, patient claim).
        var caller = await SandboxAuthentication.AuthenticateAsync(context)
            ?? throw Unauthorized("invalid_token", "The access token is invalid, expired, lacks a patient context or was not issued by this server.");
        // The fault scope-not-enforced treats every token as one for all of the member's resources.
        return new FhirCaller(caller.PatientId, faults.IsOn("scope-not-enforced") ? [SmartScopeGrants.ReadAll] : caller.Scopes.ToList());
    }

    private FhirProblem Unauthorized(string? error, string message) => new(401, OperationOutcome.IssueType.Login, message)
    {
        Headers = faults.IsOn("401-without-challenge")
            ? new Dictionary<string, string>()
            : new Dictionary<string, string>
            {
                ["WWW-Authenticate"] = error is null
                    ? $"Bearer realm=\"{Realm}\""
                    : $"Bearer realm=\"{Realm}\", error=\"{error}\", error_description=\"{message}\"",
            },
    };
}
