using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Rules;

namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>Where an authorization request the server must refuse ended: the redirect to the app, if any, and the last page.</summary>
public sealed record AuthorizationOutcome(Requirement Rule, string Expectation, AuthorizationRedirect? Redirect, string LastPage);

/// <summary>
/// A scenario's authorization request that the authorization server must refuse (scenario-scoped; Reqnroll injects it),
/// taken as far as the server lets the member go: a server may refuse at once (an error redirect or its own page), or
/// only after sign-in or consent; what counts is that no authorization code reaches the app. The member goes as a
/// returning member where the run already has one signed in, and enrolls in full otherwise.
/// </summary>
public sealed class RefusedAuthorization(ConformanceScenario scenario)
{
    private Requirement? _rule;
    private string? _expectation;

    public AuthorizationOutcome? Outcome { get; private set; }

    /// <summary>A FHIR base URL that is not the payer's: a resource server an attacker could run.</summary>
    public const string CounterfeitFhirBase = "https://counterfeit-fhir.example/r4";

    /// <summary>The run's ordinary request with aud naming <see cref="CounterfeitFhirBase"/>.</summary>
    public void PrepareWithCounterfeitAud() =>
        Prepare(Requirements.SmartAudChecked,
            "An authorization request whose aud is not the payer's FHIR base URL must be refused (SMART App Launch: aud \"prevents leaking a genuine bearer token to a counterfeit resource server\").",
            new Dictionary<string, string?> { ["aud"] = CounterfeitFhirBase },
            $"aud sent: {CounterfeitFhirBase}\nThe payer's FHIR base URL: {scenario.Run.FhirBaseUrl.AbsoluteUri.TrimEnd('/')}");

    /// <summary>The run's ordinary request with a plain PKCE challenge (the verifier itself, RFC 7636 section 4.2) instead of S256.</summary>
    public void PrepareWithPlainChallenge()
    {
        RequirePkceInUse(scenario);
        Prepare(Requirements.SmartPkcePlainRefused,
            "An authorization request with code_challenge_method=plain must be refused (SMART App Launch: servers SHALL NOT support the plain method).",
            new Dictionary<string, string?> { ["code_challenge"] = Pkce.Create().Verifier, ["code_challenge_method"] = "plain" },
            "code_challenge_method=plain, code_challenge = the verifier itself (redacted)");
    }

    private void Prepare(Requirement rule, string expectation, IReadOnlyDictionary<string, string?> overrides, string description)
    {
        _rule = rule;
        _expectation = expectation;
        scenario.Authorization.Prepare(null, overrides);
        scenario.Evidence.AddText("Authorization request the server must refuse", "text/plain", "txt", description);
    }

    /// <summary>
    /// The PKCE scenarios verify what a server does with the challenges the run sends; without PKCE (usePkce=false, or
    /// auto and S256 not advertised) there is nothing to verify, and the scenario is skipped with that reason.
    /// </summary>
    public static void RequirePkceInUse(ConformanceScenario scenario)
    {
        if (!scenario.Run.Pkce.On)
            throw new NUnit.Framework.IgnoreException($"Not run: the run sends no PKCE challenge ({scenario.Run.Pkce.Reason}).");
    }

    public async Task GoAsFarAsAllowedAsync()
    {
        var launch = scenario.Authorization;
        if (_rule is null) throw new InvalidOperationException("No refused request was prepared: a Given step must prepare it first.");
        await launch.OpenAuthorizationPageAsync(asReturningMember: true);
        var redirect = launch.CapturedRedirect;
        if (redirect is null)
        {
            var model = scenario.Run.PageModel;
            var page = await launch.PageTextAsync();
            var signInStart = model.SignIn?.CreateAccount.Name ?? model.Enrollment.FirstName;
            if (page.Contains(signInStart, StringComparison.Ordinal))
            {
                await launch.CreateAccountAsync();
                await launch.EnterEmailedVerificationCodeAsync();
                redirect = await AllowAsync(launch);
            }
            else if (page.Contains(model.Consent.Allow.Name, StringComparison.Ordinal) && await launch.ReturnsSignedInAsync())
            {
                redirect = await AllowAsync(launch);
            }
        }
        var lastPage = redirect is null ? $"{launch.CurrentUrl}\n\n{await launch.PageTextAsync()}" : "";
        scenario.Evidence.AddText("Where the refused request ended", "text/plain", "txt",
            redirect is null ? lastPage : $"Redirect to the app: {redirect.RedactedUri}");
        Outcome = new AuthorizationOutcome(_rule, _expectation!, redirect, lastPage);
    }

    /// <summary>After consent a refusing server may redirect with an error or show a page of its own instead of redirecting.</summary>
    private static async Task<AuthorizationRedirect?> AllowAsync(MemberAuthorization launch)
    {
        await launch.AllowAsync();
        try
        {
            return await launch.WaitForRedirectAsync();
        }
        catch (BrowserFlowException)
        {
            return launch.CapturedRedirect;
        }
    }
}
