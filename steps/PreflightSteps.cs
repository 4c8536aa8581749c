using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Preflight;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class PreflightSteps(ConformanceScenario scenario, PreflightRules preflightRules)
{
    private static readonly PreflightTimeouts Timeouts = new();
    private PreflightReport? _report;

    private ConformanceRun Run => scenario.Run;

    [When("the harness checks its settings, page model, browser and FHIR packages")]
    public async Task WhenTheHarnessChecksItsLocalSetup() =>
        Keep(await PreflightChecks.CheckLocalSetupAsync(Run.Settings, Run.PageModel.Name, Run.Browser.BrowserVersion, Run.Validator));

    [When("the harness resolves, connects to and requests the authorization and FHIR servers")]
    public async Task WhenTheHarnessReachesTheServers() =>
        Keep(await PreflightChecks.CheckServersAsync(
        [
            new PreflightChecks.ServerProbe("authorization server", Run.AuthorizeEndpoint, "authBaseUrl", RequireSuccess: false),
            new PreflightChecks.ServerProbe("FHIR server", new Uri(Run.FhirBaseUrl.AbsoluteUri.TrimEnd('/') + "/metadata"), "fhirBaseUrl", RequireSuccess: true),
        ], scenario.Http, Timeouts));

    [When("the harness fetches the SMART configuration and compares its endpoints with the settings")]
    public async Task WhenTheHarnessChecksSmartDiscovery() =>
        Keep(await PreflightChecks.CheckSmartDiscoveryAsync(Run.FhirBaseUrl, Run.AuthorizeEndpoint, Run.TokenEndpoint, scenario.Http, Timeouts));

    [When("the harness logs in to the member's mailbox")]
    public async Task WhenTheHarnessLogsInToTheMailbox() => Keep(await PreflightChecks.CheckMailboxAsync(Run.Inbox, Timeouts));

    [Then("the preflight finds no problem")]
    public void ThenThePreflightFindsNoProblem() =>
        preflightRules.RequireNoProblems(_report ?? throw new InvalidOperationException("A When step must run a preflight check first."));

    private void Keep(PreflightReport report)
    {
        _report = report;
        scenario.Evidence.AddText($"Preflight: {report.Area}", "text/plain", "txt", report.ToText());
    }
}
