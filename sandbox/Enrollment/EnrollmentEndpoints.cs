using System.Globalization;
using DemoHealthPlan.Sandbox.Auth;
using DemoHealthPlan.Sandbox.Fhir;
using DemoHealthPlan.Sandbox.Mail;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using MimeKit;

using Microsoft.AspNetCore.Mvc;

namespace DemoHealthPlan.Sandbox.Enrollment;

/// <summary>
/// The member's way in: create an account from the five member-card attributes, or sign in with an existing account's
/// email; both confirm the email with a code. Every form carries the pending authorization request as a return URL
/// back to the authorization endpoint, which then asks for consent.
/// </summary>
internal static class EnrollmentEndpoints
{
    private static readonly string[] BirthdateFormats = ["MM/dd/yyyy", "M/d/yyyy", "yyyy-MM-dd"];

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        // Bound now, so that wrong page settings stop the sandbox at start rather than at the first member.
        _ = endpoints.ServiceProvider.GetRequiredService<EnrollmentLabels>();
        endpoints.MapGet(EnrollmentPaths.CreateAccount, ShowCreateAccount);
        endpoints.MapPost(EnrollmentPaths.CreateAccount, CreateAccountAsync);
        endpoints.MapPost(EnrollmentPaths.SignIn, SignInAsync);
        endpoints.MapPost(EnrollmentPaths.Verify, VerifyAsync);
        endpoints.MapGet(EnrollmentPaths.Terms, ShowTerms);
        endpoints.MapPost(EnrollmentPaths.Terms, AcceptTermsAsync);
    }

    private static IResult ShowCreateAccount(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] EnrollmentLabels labels, [FromQuery] string? returnUrl)
    {
        if (!IsAuthorizationRequest(returnUrl)) return InvalidReturnUrl();
        return EnrollmentPages.CreateAccount(labels, returnUrl!, Token(context, antiforgery), AccountForm.Empty);
    }

    private static async Task<IResult> CreateAccountAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] IMemberDirectory directory,
        [FromServices] SandboxDbContext database, [FromServices] MemberVerification verification, [FromServices] EnrollmentLabels labels, CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var returnUrl = form["returnUrl"].ToString();
        if (!IsAuthorizationRequest(returnUrl)) return InvalidReturnUrl();
        if (!await antiforgery.IsRequestValidAsync(context)) return SessionExpired(returnUrl);

        var values = AccountForm.From(form);
        IResult Retry(string error) => EnrollmentPages.CreateAccount(labels, returnUrl, Token(context, antiforgery), values, error,
            StatusCodes.Status422UnprocessableEntity);

        var missing = new (string Label, string Value)[]
        {
            (labels.FirstName, values.FirstName), (labels.LastName, values.LastName), (labels.Birthdate, values.Birthdate),
            (labels.MemberId, values.MemberId), (labels.PostalCode, values.PostalCode), (labels.Email, values.Email),
        }.Where(f => f.Value.Length == 0).Select(f => f.Label).ToList();
        if (missing.Count > 0) return Retry($"Please fill in: {string.Join(", ", missing)}.");

        if (!DateOnly.TryParseExact(values.Birthdate, BirthdateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthdate))
            return Retry("Enter your birthdate as MM/DD/YYYY, for example 01/31/1980.");
        if (NormalizeEmail(values.Email) is not { } email)
            return Retry("Enter a valid email address, for example name@example.com.");

        var member = directory.Find(values.FirstName, values.LastName, birthdate, values.MemberId, values.PostalCode);
        if (member is null)
            return Retry("We could not find a member with these details. Check them against your member ID card and try again.");

        var account = await database.MemberAccounts.SingleOrDefaultAsync(a => a.Email == email, cancellationToken);
        if (account is not null && account.PatientId != member.PatientId)
            return Retry("This email is already linked to another member's account. Use a different email address.");

        var purpose = account is null ? VerificationPurpose.CreateAccount : VerificationPurpose.SignIn;
        return await SendCodeAsync(context, antiforgery, verification, labels, email, member.PatientId, purpose, returnUrl, cancellationToken);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] SandboxDbContext database,
        [FromServices] MemberVerification verification, [FromServices] ClientDirectory clients, [FromServices] EnrollmentLabels labels, CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var returnUrl = form["returnUrl"].ToString();
        if (!IsAuthorizationRequest(returnUrl)) return InvalidReturnUrl();
        if (!await antiforgery.IsRequestValidAsync(context)) return SessionExpired(returnUrl);

        var typed = form["email"].ToString().Trim();
        var email = NormalizeEmail(typed);
        var account = email is null ? null : await database.MemberAccounts.SingleOrDefaultAsync(a => a.Email == email, cancellationToken);
        if (account is null)
        {
            var appName = clients.DisplayNameFromReturnUrl(returnUrl);
            var error = email is null
                ? "Enter a valid email address, for example name@example.com."
                : "No account uses this email. Create an account first, using the details on your member ID card.";
            return EnrollmentPages.SignInStart(labels, appName, returnUrl, Token(context, antiforgery), error, typed,
                StatusCodes.Status422UnprocessableEntity);
        }

        return await SendCodeAsync(context, antiforgery, verification, labels, account.Email, account.PatientId, VerificationPurpose.SignIn,
            returnUrl, cancellationToken);
    }

    private static async Task<IResult> VerifyAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] SandboxDbContext database,
        [FromServices] MemberVerification verification, [FromServices] EnrollmentLabels labels, [FromServices] TimeProvider clock, CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var returnUrl = form["returnUrl"].ToString();
        if (!IsAuthorizationRequest(returnUrl)) return InvalidReturnUrl();
        if (!await antiforgery.IsRequestValidAsync(context)) return SessionExpired(returnUrl);

        var outcome = await verification.CheckAsync(form["verification"].ToString(), form["code"].ToString(), cancellationToken);
        switch (outcome)
        {
            case VerificationOutcome.Verified(var pending):
                if (pending.Purpose is VerificationPurpose.CreateAccount)
                {
                    var existing = await database.MemberAccounts.SingleOrDefaultAsync(a => a.Email == pending.Email, cancellationToken);
                    if (existing is not null && existing.PatientId != pending.PatientId)
                        return EnrollmentPages.StartOver("This email is already in use",
                            "This email was linked to another member's account meanwhile. Use a different email address.",
                            returnUrl, StatusCodes.Status409Conflict);
                    if (existing is null)
                    {
                        database.MemberAccounts.Add(new MemberAccount { Email = pending.Email, PatientId = pending.PatientId, CreatedAt = clock.GetUtcNow() });
                        await database.SaveChangesAsync(cancellationToken);
                    }
                }
                await MemberSession.SignInAsync(context, pending.PatientId);
                return labels.TermsOfUse
                    ? Results.Redirect(EnrollmentPaths.Terms + "?returnUrl=" + Uri.EscapeDataString(returnUrl))
                    : Results.Redirect(returnUrl);

            case VerificationOutcome.WrongCode(var pending, var triesLeft):
                return EnrollmentPages.Verify(labels, pending.Id, EnrollmentPages.Mask(pending.Email), returnUrl, Token(context, antiforgery),
                    $"That code is not correct. You have {triesLeft} {(triesLeft == 1 ? "try" : "tries")} left.",
                    StatusCodes.Status422UnprocessableEntity);

            case VerificationOutcome.TooManyAttempts:
                return EnrollmentPages.StartOver("Too many incorrect codes",
                    "You entered an incorrect verification code too many times. Start over to get a new code.",
                    returnUrl, StatusCodes.Status400BadRequest);

            case VerificationOutcome.Expired:
                return EnrollmentPages.StartOver("Your code has expired",
                    "This verification code has expired. Start over to get a new code.", returnUrl, StatusCodes.Status400BadRequest);

            default:
                return EnrollmentPages.StartOver("This code is no longer valid",
                    "This verification is no longer valid. Start over to get a new code.", returnUrl, StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> SendCodeAsync(HttpContext context, IAntiforgery antiforgery, MemberVerification verification,
        EnrollmentLabels labels, string email, string patientId, VerificationPurpose purpose, string returnUrl, CancellationToken cancellationToken)
    {
        try
        {
            var pending = await verification.StartAsync(email, patientId, purpose, cancellationToken);
            return EnrollmentPages.Verify(labels, pending.Id, EnrollmentPages.Mask(email), returnUrl, Token(context, antiforgery));
        }
        catch (MailDeliveryException e)
        {
            return EnrollmentPages.Error("We could not send your verification code",
                $"Mail could not be delivered to {e.Destination}: {e.Reason}",
                StatusCodes.Status502BadGateway,
                "The sandbox sends verification codes to the SMTP server set in Sandbox:Smtp:Host and Sandbox:Smtp:Port. Start a mail catcher there, or change those settings.");
        }
    }

    /// <summary>
    /// The terms of use between verification and consent (Sandbox:Pages:TermsOfUse). The member is already signed in
    /// here; the sandbox only shows the step, it does not hold consent back from a member who skips it.
    /// </summary>
    private static IResult ShowTerms(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] EnrollmentLabels labels, [FromQuery] string? returnUrl)
    {
        if (!IsAuthorizationRequest(returnUrl)) return InvalidReturnUrl();
        return EnrollmentPages.Terms(labels, returnUrl!, Token(context, antiforgery));
    }

    private static async Task<IResult> AcceptTermsAsync(HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] EnrollmentLabels labels,
        CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var returnUrl = form["returnUrl"].ToString();
        if (!IsAuthorizationRequest(returnUrl)) return InvalidReturnUrl();
        if (!await antiforgery.IsRequestValidAsync(context)) return SessionExpired(returnUrl);
        return form["agree"].ToString() == "yes"
            ? Results.Redirect(returnUrl)
            : EnrollmentPages.Terms(labels, returnUrl, Token(context, antiforgery), $"Tick \"{labels.TermsAgreement}\" to continue.",
                StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>The return URL must lead back to this server's authorization endpoint, never elsewhere.</summary>
    internal static bool IsAuthorizationRequest([FromQuery] string? returnUrl) =>
        returnUrl is { Length: > 0 }
        && returnUrl.StartsWith("/" + AuthPaths.Authorize, StringComparison.OrdinalIgnoreCase)
        && (returnUrl.Length == AuthPaths.Authorize.Length + 1 || returnUrl[AuthPaths.Authorize.Length + 1] is '?' or '/');

    private static string? NormalizeEmail(string typed) =>
        MailboxAddress.TryParse(typed, out var address) && address.Name is null or "" && address.Address.Contains('@')
            && address.Address.IndexOf('@') > 0 && address.Address.IndexOf('@') < address.Address.Length - 1
            ? address.Address.ToLowerInvariant()
            : null;

    private static string Token(HttpContext context, [FromServices] IAntiforgery antiforgery) => antiforgery.GetAndStoreTokens(context).RequestToken!;

    private static IResult InvalidReturnUrl() =>
        EnrollmentPages.Error("We can't continue with this sign-in", "This page must be opened from an app's sign-in request.",
            StatusCodes.Status400BadRequest);

    private static IResult SessionExpired(string returnUrl) =>
        EnrollmentPages.StartOver("Your session has expired", "This form has expired or was not sent by this site. Start over.",
            returnUrl, StatusCodes.Status400BadRequest);
}
