using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Preflight;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class PreflightSteps(ConformanceScenario scenario, PreflightRules preflightRules, TransportRules transportRules)
{
    private static readonly PreflightTimeouts Timeouts = new();
    private PreflightReport? _report;
    private IReadOnlyList<TransportObservation>? _transport;

    private ConformanceRun Run => scenario.Run;

    [When("the harness checks its settings, page model, browser and FHIR packages")]
    public async Task WhenTheHarnessChecksItsLocalSetup() =>
        Keep(await PreflightChecks.CheckLocalSetupAsync(Run.Settings, Run.PageModel.Name, Run.Browser.BrowserVersion, Run.Validator));

    [When("the harness resolves, connects to and requests the authorization and FHIR servers")]
    public async Task WhenTheHarnessReachesTheServers() =>
        Keep(await PreflightChecks.CheckServersAsync(Servers, scenario.Http, Timeouts));

    [When("the harness opens a TLS connection to the authorization, token, FHIR and JWKS servers")]
    public async Task WhenTheHarnessObservesTheTransport()
    {
        PreflightChecks.ServerProbe[] jwks = await PreflightChecks.AdvertisedJwksUriAsync(Run.FhirBaseUrl, scenario.Http, Timeouts) is { } jwksUri
            ? [new("JWKS", jwksUri, "the SMART configuration's jwks_uri", RequireSuccess: false)]
            : [];
        _transport = await PreflightChecks.ObserveTransportAsync(
            [.. Servers, new PreflightChecks.ServerProbe("token endpoint", Run.TokenEndpoint, "authBaseUrl", RequireSuccess: false), .. jwks], Timeouts);
        scenario.Evidence.AddText("Preflight: transport", "text/plain", "txt", string.Join(Environment.NewLine, _transport.Select(o => o.Line)));
    }

    [When("the harness fetches the SMART configuration and compares its endpoints with the settings")]
    public async Task WhenTheHarnessChecksSmartDiscovery() =>
        Keep(await PreflightChecks.CheckSmartDiscoveryAsync(Run.FhirBaseUrl, Run.AuthorizeEndpoint, Run.TokenEndpoint, scenario.Http, Timeouts));

    [When("the harness logs in to the member's mailbox")]
    public async Task WhenTheHarnessLogsInToTheMailbox() => Keep(await PreflightChecks.CheckMailboxAsync(Run.Inbox, Timeouts));

    [Then("the preflight finds no problem")]
    public void ThenThePreflightFindsNoProblem() =>
        preflightRules.RequireNoProblems(_report ?? throw new InvalidOperationException("A When step must run a preflight check first."));

    [Then("each is reached over https with TLS 1.2 or later, or is a loopback host")]
    public void ThenEachIsReachedOverHttps() =>
        transportRules.RequireSecureTransport(_transport ?? throw new InvalidOperationException("A When step must observe the transport first."));

    private PreflightChecks.ServerProbe[] Servers =>
    [
        new("authorization server", Run.AuthorizeEndpoint, "authBaseUrl", RequireSuccess: false),
        new("FHIR server", new Uri(Run.FhirBaseUrl.AbsoluteUri.TrimEnd('/') + "/metadata"), "fhirBaseUrl", RequireSuccess: true),
    ];

    private void Keep(PreflightReport report)
    {
        _report = report;
        scenario.Evidence.AddText($"Preflight: {report.Area}", "text/plain", "txt", report.ToText());
    }
}
