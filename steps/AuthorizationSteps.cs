using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class AuthorizationSteps(ConformanceScenario scenario, AuthorizationCodeRules authorizationCodeRules)
{
    private MemberAuthorization Launch => scenario.Authorization;

    [Given("the app requests access with scope {string} and a fresh state")]
    public void GivenTheAppRequestsAccess(string scope) => Launch.Prepare(scope);

    [When("the member opens the authorization page")]
    public Task WhenTheMemberOpensTheAuthorizationPage() => Launch.OpenAuthorizationPageAsync();

    [When("the member creates an account with their member attributes and an email address unique to this run")]
    public Task WhenTheMemberCreatesAnAccount() => Launch.CreateAccountAsync();

    [When("the member enters the verification code sent to that email address")]
    public Task WhenTheMemberEntersTheVerificationCode() => Launch.EnterEmailedVerificationCodeAsync();

    [When("the member allows the app access")]
    public Task WhenTheMemberAllows() => Launch.AllowAsync();

    [When("the member denies the app access")]
    public Task WhenTheMemberDenies() => Launch.DenyAsync();

    [Then("the app receives an authorization code at its redirect URI")]
    public async Task ThenTheAppReceivesACode() =>
        authorizationCodeRules.RequireCodeAtRedirectUri(await Launch.WaitForRedirectAsync(), Launch.Request!.RedirectUri);

    [Then("the redirect carries exactly the state the app sent")]
    public void ThenTheRedirectCarriesTheState() => authorizationCodeRules.RequireStateEchoed(Launch.Redirect?.State, Launch.Request!.State);
}
