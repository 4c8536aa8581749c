using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Fhir;
using DigitalInsurance.Conformance.Support.Http;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Reporting;
using DigitalInsurance.Conformance.Support.Timing;
using DigitalInsurance.Conformance.Support.Validation;
using Reqnroll;

namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>
/// Everything one scenario works with (scenario-scoped; Reqnroll injects it into step classes): its evidence, HTTP
/// that records every exchange, the member's authorization, the token it holds and its FHIR conversation.
/// </summary>
public sealed class ConformanceScenario : IAsyncDisposable
{
    private MemberAuthorization? _authorization;

    public ConformanceScenario(ScenarioEvidence evidence, ScenarioInfo scenarioInfo, ConformanceRunHandle run, Check check)
    {
        Run = run.Run;
        Check = check;
        Evidence = evidence;
        Title = scenarioInfo.Title;
        Member = MemberOf(scenarioInfo);
        Recorder = new RecordingHttpHandler(evidence, Run.Network);
        // The handler chain ends in the run's shared connection pool, which must outlive the scenario.
        Http = new HttpClient(Recorder, disposeHandler: false) { Timeout = Run.Settings.HttpTimeout };
        // A request the server leaves unanswered fails the step that sent it, naming fhir-response-time: the client
        // reports the fact, the rule judges it.
        Fhir = new FhirConversation(FhirApiWith(accessToken: null));
        Tokens = new TokenClient(Http, Run.TokenEndpoint, Run.Settings.ClientId!, Run.Settings.ClientSecret, Run.Settings.TokenAuth);
    }

    public ConformanceRun Run { get; }

    /// <summary>
    /// A FHIR client on the scenario's recorded HTTP with <paramref name="accessToken"/> (null: none). A request the server
    /// leaves unanswered fails the step that sent it, naming fhir-response-time: the client reports the fact, the rule judges it.
    /// </summary>
    public FhirApi FhirApiWith(string? accessToken) =>
        new(Http, Run.FhirBaseUrl, new ResponseTimeRules(Check).FailNoAnswer) { AccessToken = accessToken };
    /// <summary>This scenario's checks, for the run-wide launches a scenario joins (their verdicts are the scenario's).</summary>
    public Check Check { get; }
    public ScenarioEvidence Evidence { get; }
    public string Title { get; }
    public RecordingHttpHandler Recorder { get; }
    public HttpClient Http { get; }
    public FhirConversation Fhir { get; }
    public TokenClient Tokens { get; }

    /// <summary>This scenario's own launch (authorization scenarios, and the shared session's first run).</summary>
    public MemberAuthorization Authorization => _authorization ??= new MemberAuthorization(Run, Evidence, Title, Member);

    /// <summary>
    /// Whom this scenario enrolls and whose shared session it joins: for a @per-member scenario the roster member its
    /// "member" argument names (see <see cref="ConformanceRun.Members"/>), otherwise the member settings.
    /// </summary>
    public MemberSettings Member { get; }

    private MemberSettings MemberOf(ScenarioInfo scenarioInfo)
    {
        var perMember = (scenarioInfo.CombinedTags ?? scenarioInfo.Tags ?? []).Any(t => t.TrimStart('@').Equals("per-member", StringComparison.OrdinalIgnoreCase));
        return perMember && scenarioInfo.Arguments?["member"] is string label && Run.Members.Count > 0
            ? Run.MemberLabelled(label).Attributes
            : Run.Settings.Member;
    }

    /// <summary>The token this scenario works with: from its own exchange, or the run's shared session.</summary>
    public TokenResponse? Token { get; private set; }
    public AuthorizedSession? Session { get; private set; }

    /// <summary>
    /// The patient in context of the token, which requests about the member's records are built from; judged by
    /// <see cref="PatientContextRules.RequirePatientToStartFrom"/>.
    /// </summary>
    public string PatientInContext => new PatientContextRules(Check).RequirePatientToStartFrom(Session?.PatientId ?? Token?.Patient);

    /// <summary>The patient in context if the token names one; null otherwise (for a check that judges its absence itself).</summary>
    public string? PatientInContextIfNamed => (Session?.PatientId ?? Token?.Patient) is { Length: > 0 } patient ? patient : null;


    public async Task<TokenResponse> ExchangeCodeAsync(string code)
    {
        Token = await Tokens.ExchangeCodeAsync(code, Authorization.Request!.RedirectUri, Authorization.Pkce?.Verifier);
        return Token;
    }

    /// <summary>Joins the run's shared authorized session (of <see cref="Member"/>) and uses its access token for FHIR requests.</summary>
    public async Task<AuthorizedSession> UseSharedSessionAsync()
    {
        Session = await Run.SharedAuthorizationFor(Member).GetAsync(this);
        Token = Session.Token;
        Fhir.Api.AccessToken = Session.AccessToken;
        return Session;
    }

    public TokenResponse RequireToken() =>
        Token ?? throw new InvalidOperationException("No token response in this scenario: a Given step must obtain one first.");

    /// <summary>The run's validator; waits for its warm-up if the scenario got here first.</summary>
    public async Task<ConformanceValidator> ValidatorAsync()
    {
        try
        {
            if (Run.Validator.IsCompleted) return await Run.Validator;
            using (PhaseTimer.Measure(Phase.ValidatorWait))
                return await Run.Validator;
        }
        catch (Exception e) when (ConformanceRun.UserFacingSetupError(e) is { } message)
        {
            throw new HarnessSetupException(message, e);
        }
    }

    public async Task FinishAsync(bool failed)
    {
        if (_authorization is not null) await _authorization.FinishAsync(failed);
    }

    public async ValueTask DisposeAsync()
    {
        await FinishAsync(failed: false);
        Http.Dispose();
    }
}
