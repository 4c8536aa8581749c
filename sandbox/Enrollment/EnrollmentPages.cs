using static DemoHealthPlan.Sandbox.Enrollment.HtmlPage;

namespace DemoHealthPlan.Sandbox.Enrollment;

/// <summary>What a member fills in to create an account; kept to re-fill the form after an error.</summary>
internal sealed record AccountForm(string FirstName, string LastName, string Birthdate, string MemberId, string PostalCode, string Email)
{
    public static AccountForm Empty { get; } = new("", "", "", "", "", "");

    public static AccountForm From(IFormCollection form) => new(
        form["first_name"].ToString().Trim(), form["last_name"].ToString().Trim(), form["birthdate"].ToString().Trim(),
        form["member_id"].ToString().Trim(), form["postal_code"].ToString().Trim(), form["email"].ToString().Trim());
}

/// <summary>The member-facing pages of the sign-in journey: start, create account, verify, consent, errors.</summary>
internal static class EnrollmentPages
{
    public static IResult SignInStart(EnrollmentLabels labels, string appName, string returnUrl, string antiforgeryToken, string? error = null, string? email = null,
        int status = 200) =>
        Render("Sign in to Demo Health Plan", $"""
            <p><strong>{Encode(appName)}</strong> wants to connect to your Demo Health Plan account.</p>
            {Alert(error)}
            <h2>New to online access?</h2>
            <p>Use the details on your member ID card to set up your account.</p>
            <p><a href="{Encode(EnrollmentPaths.CreateAccount + "?returnUrl=" + Uri.EscapeDataString(returnUrl))}">{Encode(labels.CreateAccountLink)}</a></p>
            <hr>
            <h2>Already have an account?</h2>
            <form method="post" action="{EnrollmentPaths.SignIn}">
            {Hidden("returnUrl", returnUrl)}
            {Hidden(EnrollmentPaths.AntiforgeryField, antiforgeryToken)}
            {Field("signin-email", "email", "Email", email, type: "email", autocomplete: "email",
                hint: "We will email you a verification code.")}
            <button type="submit">Sign in</button>
            </form>
            """, status);

    public static IResult CreateAccount(EnrollmentLabels labels, string returnUrl, string antiforgeryToken, AccountForm values, string? error = null, int status = 200) =>
        Render("Create an account", $"""
            <p>Enter your details exactly as they appear on your member ID card.</p>
            {Alert(error)}
            <form method="post" action="{EnrollmentPaths.CreateAccount}">
            {Hidden("returnUrl", returnUrl)}
            {Hidden(EnrollmentPaths.AntiforgeryField, antiforgeryToken)}
            {Field("first-name", "first_name", labels.FirstName, values.FirstName, autocomplete: "given-name")}
            {Field("last-name", "last_name", labels.LastName, values.LastName, autocomplete: "family-name")}
            {Field("birthdate", "birthdate", labels.Birthdate, values.Birthdate, autocomplete: "bday", hint: "MM/DD/YYYY",
                extra: "placeholder=\"MM/DD/YYYY\" inputmode=\"numeric\"")}
            {Field("member-id", "member_id", labels.MemberId, values.MemberId, autocomplete: "off")}
            {Field("postal-code", "postal_code", labels.PostalCode, values.PostalCode, autocomplete: "postal-code")}
            {Field("email", "email", labels.Email, values.Email, type: "email", autocomplete: "email",
                hint: "We will email you a verification code.")}
            <button type="submit">{Encode(labels.CreateAccountButton)}</button>
            </form>
            <p><a href="{Encode(returnUrl)}">Back to sign in</a></p>
            """, status);

    public static IResult Verify(EnrollmentLabels labels, string verificationId, string maskedEmail, string returnUrl, string antiforgeryToken,
        string? error = null, int status = 200) =>
        Render("Enter your verification code", $"""
            {Notice($"We sent a 6-digit code to {maskedEmail}.")}
            {Alert(error)}
            <form method="post" action="{EnrollmentPaths.Verify}">
            {Hidden("returnUrl", returnUrl)}
            {Hidden("verification", verificationId)}
            {Hidden(EnrollmentPaths.AntiforgeryField, antiforgeryToken)}
            {Field("verification-code", "code", labels.VerificationCode, null, autocomplete: "one-time-code",
                extra: "inputmode=\"numeric\" pattern=\"[0-9]{6}\" maxlength=\"6\"")}
            <button type="submit">{Encode(labels.VerifyButton)}</button>
            </form>
            <p><a href="{Encode(returnUrl)}">Start over</a></p>
            """, status);

    public static IResult Consent(EnrollmentLabels labels, string appName, string memberName, IReadOnlyList<(string Scope, string Description)> scopes,
        IEnumerable<KeyValuePair<string, string?>> requestParameters, string action, string antiforgeryToken)
    {
        var items = string.Concat(scopes.Select(s => $"<li>{Encode(s.Description)} (<code>{Encode(s.Scope)}</code>)</li>"));
        var hidden = string.Concat(requestParameters.Select(p => Hidden(p.Key, p.Value)));
        return Render($"Allow {appName} to access your information?", $"""
            <p>Signed in as <strong>{Encode(memberName)}</strong>.</p>
            <p><strong>{Encode(appName)}</strong> is asking to:</p>
            <ul>{items}</ul>
            <p>You can stop sharing at any time by contacting Demo Health Plan.</p>
            <form method="post" action="{Encode(action)}">
            {hidden}
            {Hidden(EnrollmentPaths.AntiforgeryField, antiforgeryToken)}
            <button type="submit" name="decision" value="allow">{Encode(labels.AllowButton)}</button>
            <button type="submit" name="decision" value="deny" class="secondary">{Encode(labels.DenyButton)}</button>
            </form>
            """);
    }

    /// <summary>The terms of use, shown after the email is verified when <see cref="EnrollmentLabels.TermsOfUse"/> is on.</summary>
    public static IResult Terms(EnrollmentLabels labels, string returnUrl, string antiforgeryToken, string? error = null, int status = 200) =>
        Render("Terms of use", $"""
            <p>Demo Health Plan shares your information only with apps you allow, and only what you allow them to see.
            You can withdraw your permission at any time.</p>
            {Alert(error)}
            <form method="post" action="{EnrollmentPaths.Terms}">
            {Hidden("returnUrl", returnUrl)}
            {Hidden(EnrollmentPaths.AntiforgeryField, antiforgeryToken)}
            <p><input id="terms-agree" name="agree" type="checkbox" value="yes" style="width:auto"> <label for="terms-agree" style="display:inline">{Encode(labels.TermsAgreement)}</label></p>
            <button type="submit">{Encode(labels.TermsContinueButton)}</button>
            </form>
            """, status);

    public static IResult StartOver(string title, string message, string returnUrl, int status) =>
        Render(title, $"""
            {Alert(message)}
            <p><a href="{Encode(returnUrl)}">Start over</a></p>
            """, status);

    public static IResult Error(string title, string message, int status, string? detail = null) =>
        Render(title, $"""
            {Alert(message)}
            {(detail is null ? "" : $"<p>{Encode(detail)}</p>")}
            <p>Return to the app you came from and try again.</p>
            """, status);

    /// <summary>Shows enough of an address for the member to recognise it, without repeating it in full.</summary>
    public static string Mask(string email)
    {
        var at = email.IndexOf('@');
        if (at <= 0) return "your email";
        return email[0] + "***" + email[at..];
    }
}

internal static class EnrollmentPaths
{
    public const string CreateAccount = "/account/create";
    public const string SignIn = "/account/sign-in";
    public const string Verify = "/account/verify";
    public const string Terms = "/account/terms";
    public const string AntiforgeryField = "__RequestVerificationToken";
}
