using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Fhir;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>One of the other member's Coverages: who it names (beneficiary, subscriber) and who pays.</summary>
public sealed record OtherMemberCoverage(string Reference, IReadOnlyList<string> Members, IReadOnlyList<string> Payors);

/// <summary>
/// What a second member's own token showed the app: their Patient (the patient in context of their token), the
/// Coverages naming them as beneficiary or subscriber, and those Coverages' payors.
/// </summary>
public sealed record OtherMemberResources(string Patient, IReadOnlyList<OtherMemberCoverage> Coverages)
{
    public IEnumerable<string> Payors => Coverages.SelectMany(c => c.Payors).Distinct();

    public string Describe() =>
        $"Patient: {Patient}\nCoverages: {string.Join(", ", Coverages.Select(c => c.Reference).DefaultIfEmpty("none"))}\n" +
        $"Payors: {string.Join(", ", Payors.DefaultIfEmpty("none"))}";
}

/// <summary>
/// The second member, learnt the way a real app would: they authorize the app in their own browser session, and the app
/// reads what their token shows. That runs once per run, in the first scenario that needs it (its evidence shows the
/// flow); later scenarios reuse the ids. A failure is kept too and reported at once by later scenarios.
/// </summary>
public sealed class OtherMemberSession
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Task<OtherMemberResources>? _learnt;

    /// <summary>Why the other-member scenarios are skipped against a sandbox serving the user's own data with no other member configured.</summary>
    public const string NoOtherMemberInOwnData =
        "Not run: the sandbox serves a data folder of your own (sandboxDataFolder) and no other member is configured, so there is no " +
        "second member to try the member's token against. Set otherMemberFirstName, otherMemberLastName, otherMemberBirthdate, " +
        "otherMemberId and otherMemberPostalCode to a second member of that data set to run these scenarios.";

    public async Task<OtherMemberResources> GetAsync(ConformanceScenario scenario)
    {
        // The shipped data's second member is assumed only for the shipped data; with the user's own data none is guessed.
        if (scenario.Run.Settings is { OtherMember: null, Target: TargetKind.Sandbox })
            throw new NUnit.Framework.IgnoreException(NoOtherMemberInOwnData);
        await _gate.WaitAsync();
        bool ranHere;
        try
        {
            ranHere = _learnt is null;
            _learnt ??= LearnAsync(scenario);
            try { await _learnt; }
            catch (Exception) { /* reported below */ }
        }
        finally
        {
            _gate.Release();
        }

        if (_learnt.IsCompletedSuccessfully)
        {
            if (!ranHere) scenario.Evidence.AddText("The other member's resources (learnt earlier in this run with their own token)", "text/plain", "txt", _learnt.Result.Describe());
            return _learnt.Result;
        }
        var error = _learnt.Exception!.GetBaseException();
        if (ranHere) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        const string context = "The other member's authorization failed in an earlier scenario";
        throw error switch
        {
            ConformanceFailure failure => ConformanceFailure.Repeated(failure, context),
            HarnessSetupException => new HarnessSetupException(error.Message, error),
            // The policy let the earlier scenario go on past a missing code, token or patient (warn, off): skipped here too.
            NUnit.Framework.IgnoreException => new NUnit.Framework.IgnoreException($"The other member's authorization could not go on in an earlier scenario: {error.Message}"),
            _ => new InvalidOperationException($"{context}: {error.Message}", error),
        };
    }

    private static async Task<OtherMemberResources> LearnAsync(ConformanceScenario scenario)
    {
        var run = scenario.Run;
        var other = run.Settings.OtherMember ?? throw new HarnessSetupException(
            "The patient-compartment scenarios need a second member of the payer: set otherMemberFirstName, otherMemberLastName, " +
            "otherMemberBirthdate (MM/DD/YYYY), otherMemberId and otherMemberPostalCode in your runsettings file or as environment variables " +
            "(DIC_OTHER_MEMBER_FIRST_NAME, DIC_OTHER_MEMBER_LAST_NAME, DIC_OTHER_MEMBER_BIRTHDATE, DIC_OTHER_MEMBER_ID, DIC_OTHER_MEMBER_POSTAL_CODE).");
        var member = run.Settings.Member;
        if (other.MemberId == member.MemberId && other.LastName == member.LastName)
            throw new HarnessSetupException("otherMember… names the member under test (same member ID and last name): set it to a different member of the payer.");

        var authorization = new MemberAuthorization(run, scenario.Evidence, scenario.Title, other);
        var failed = true;
        try
        {
            var redirect = await authorization.RunToRedirectAsync();
            const string needs = "anything about the other member's resources";
            var code = new AuthorizationCodeRules(scenario.Check).RequireCodeFor(redirect,
                "The authorization server must redirect the other member to the app with an authorization code.", $"{needs}, as there is no code to exchange for their token");
            var token = await scenario.Tokens.ExchangeCodeAsync(code, authorization.Request!.RedirectUri, authorization.Pkce?.Verifier);
            var accessToken = new TokenExchangeRules(scenario.Check).RequireAccessTokenFor(token, "The token endpoint must answer the other member's code exchange with an access_token.",
                $"HTTP {(int)token.StatusCode}", $"{needs}, as their code exchange granted no token");
            var patient = new PatientContextRules(scenario.Check).RequireOtherMembersPatient(token, $"{needs}, as their token names no patient to start from");

            var resources = await ReadWithTheirTokenAsync(scenario, accessToken, patient);
            var memberPatient = scenario.Session?.PatientId;
            if (memberPatient is not null && resources.Patient == $"Patient/{memberPatient}")
                throw new HarnessSetupException($"otherMember… enrolled as the member under test's own patient ({resources.Patient}): set it to a different member of the payer.");
            scenario.Evidence.AddText("The other member's resources, as their own token shows them", "text/plain", "txt", resources.Describe());
            failed = false;
            return resources;
        }
        finally
        {
            await authorization.FinishAsync(failed);
        }
    }

    /// <summary>Their Patient by id; their Coverages by search, keeping only those naming them (a server serving too much must not widen the list).</summary>
    private static async Task<OtherMemberResources> ReadWithTheirTokenAsync(ConformanceScenario scenario, string accessToken, string patientId)
    {
        var fhir = new FhirConversation(scenario.FhirApiWith(accessToken));
        var patient = $"Patient/{patientId}";
        var (read, response) = await fhir.ReadAsync(patient);
        new PatientContextRules(scenario.Check).RequireOtherMembersPatientReadable(read, response);
        await new SearchRules(scenario.Check).SearchAsync(fhir, "Coverage", null, Requirements.FhirSearch);
        var coverages = fhir.FoundOfType("Coverage").Select(r => (Coverage)r.Resource)
            .Select(c => new OtherMemberCoverage(
                $"Coverage/{c.Id}",
                new[] { c.Beneficiary?.Reference, c.Subscriber?.Reference }.Select(r => FhirReference.Normalize(r, fhir.Api.BaseUrl)).OfType<string>().Distinct().ToList(),
                c.Payor.Select(p => FhirReference.Normalize(p.Reference, fhir.Api.BaseUrl)).OfType<string>().Where(p => p.StartsWith("Organization/", StringComparison.Ordinal)).ToList()))
            .Where(c => c.Members.Contains(patient))
            .ToList();
        return new OtherMemberResources(patient, coverages);
    }
}
