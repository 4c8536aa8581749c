using System.Text.Json;
using System.Text.Json.Serialization;

namespace DigitalInsurance.Conformance.Support.Browser;

/// <summary>
/// The payer's enrollment pages as the member sees them: the accessible labels of the inputs and the names of the
/// buttons and links, page by page. Loaded from JSON so another payer's pages need a model file, not code.
/// </summary>
public sealed record EnrollmentPageModel
{
    /// <summary>Name of the model shipped for the embedded sandbox; used when no model is configured.</summary>
    public const string DefaultModelName = "sandbox";

    /// <summary>Where shipped models live, relative to the test output folder.</summary>
    public const string ShippedFolder = "support/browser/page-models";

    public required string Name { get; init; }

    /// <summary>Whether labels and names must match whole and case-sensitively (Playwright's Exact); false: case-insensitive substring.</summary>
    public bool ExactMatch { get; init; } = true;

    /// <summary>Null when the authorization page shows the enrollment form directly.</summary>
    public SignInPageModel? SignIn { get; init; }
    public required EnrollmentFormModel Enrollment { get; init; }
    public required VerificationPageModel Verification { get; init; }
    public required ConsentPageModel Consent { get; init; }

    /// <summary>
    /// A Playwright selector for the message a page shows when the payer refuses what the member entered (member not found,
    /// wrong code); null: <see cref="DefaultErrorLocator"/>, the ARIA alert role forms use for such messages.
    /// </summary>
    public string? ErrorLocator { get; init; }

    public const string DefaultErrorLocator = "[role=alert]";

    /// <summary>
    /// Pages some payers show between the usual ones (terms of use, a notice), in the order they appear. Each names the
    /// usual page it comes before; an optional one is passed when it shows up and skipped when that page shows instead.
    /// </summary>
    public IReadOnlyList<ExtraStepModel> ExtraSteps { get; init; } = [];

    /// <summary>
    /// A model file by path, or a shipped model by name ("sandbox", "1uphealth"); null or empty: the sandbox model.
    /// </summary>
    public static EnrollmentPageModel Load(string? pathOrName)
    {
        var path = Resolve(pathOrName);
        return Parse(File.ReadAllText(path), path);
    }

    public static EnrollmentPageModel Parse(string json, string source = "(inline)")
    {
        EnrollmentPageModel? model;
        try
        {
            model = JsonSerializer.Deserialize<EnrollmentPageModel>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new BrowserFlowException($"The enrollment page model {source} is not valid: {e.Message} Fix the file or the pageModel setting.");
        }
        return (model ?? throw new BrowserFlowException($"The enrollment page model {source} is empty.")).Validated(source);
    }

    private static string Resolve(string? pathOrName)
    {
        var value = string.IsNullOrWhiteSpace(pathOrName) ? DefaultModelName : pathOrName.Trim();
        if (File.Exists(value)) return Path.GetFullPath(value);

        var looksLikeName = !value.Contains('/') && !value.Contains('\\') && !value.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        if (looksLikeName)
        {
            var shipped = Path.Combine(AppContext.BaseDirectory, ShippedFolder, value + ".json");
            if (File.Exists(shipped)) return shipped;
            var available = Directory.Exists(Path.Combine(AppContext.BaseDirectory, ShippedFolder))
                ? string.Join(", ", Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, ShippedFolder), "*.json").Select(Path.GetFileNameWithoutExtension))
                : "none (the build did not copy " + ShippedFolder + " to the output folder)";
            throw new BrowserFlowException($"No shipped enrollment page model named '{value}' (available: {available}). Set pageModel (DIC_PAGE_MODEL) to a model name or a JSON file.");
        }
        throw new BrowserFlowException($"The enrollment page model file '{Path.GetFullPath(value)}' does not exist: fix the pageModel setting (DIC_PAGE_MODEL).");
    }

    private EnrollmentPageModel Validated(string source)
    {
        var missing = new List<string>();
        void Need(string? value, string name) { if (string.IsNullOrWhiteSpace(value)) missing.Add(name); }
        void NeedControl(PageControl? control, string name) { if (control is null || string.IsNullOrWhiteSpace(control.Name)) missing.Add(name); }

        Need(Name, "name");
        if (SignIn is not null) { Need(SignIn.Page, "signIn.page"); NeedControl(SignIn.CreateAccount, "signIn.createAccount"); }
        if (Enrollment is null) missing.Add("enrollment");
        else
        {
            Need(Enrollment.Page, "enrollment.page");
            Need(Enrollment.FirstName, "enrollment.firstName");
            Need(Enrollment.LastName, "enrollment.lastName");
            Need(Enrollment.Birthdate, "enrollment.birthdate");
            Need(Enrollment.MemberId, "enrollment.memberId");
            Need(Enrollment.PostalCode, "enrollment.postalCode");
            Need(Enrollment.Email, "enrollment.email");
            NeedControl(Enrollment.Submit, "enrollment.submit");
        }
        if (Verification is null) missing.Add("verification");
        else
        {
            Need(Verification.Page, "verification.page");
            Need(Verification.Code, "verification.code");
            NeedControl(Verification.Submit, "verification.submit");
        }
        if (Consent is null) missing.Add("consent");
        else
        {
            Need(Consent.Page, "consent.page");
            NeedControl(Consent.Allow, "consent.allow");
            NeedControl(Consent.Deny, "consent.deny");
        }
        for (var i = 0; i < (ExtraSteps ?? []).Count; i++)
        {
            var step = ExtraSteps![i];
            if (step is null) { missing.Add($"extraSteps[{i}]"); continue; }
            Need(step.Page, $"extraSteps[{i}].page");
            if (step.Before is null) missing.Add($"extraSteps[{i}].before (enrollment, verification or consent)");
            NeedControl(step.Submit, $"extraSteps[{i}].submit");
            foreach (var label in step.Check ?? []) Need(label, $"extraSteps[{i}].check[]");
        }
        return missing.Count == 0
            ? this
            : throw new BrowserFlowException($"The enrollment page model {source} lacks {string.Join(", ", missing)}.");
    }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}

public enum ControlRole { Button, Link, ButtonOrLink }

/// <summary>A clickable control found by its role and accessible name.</summary>
public sealed record PageControl(string Name, ControlRole Role = ControlRole.Button);

/// <param name="Page">How messages name this page, e.g. "sign-in page".</param>
public sealed record SignInPageModel(string Page, PageControl CreateAccount);

public sealed record EnrollmentFormModel(
    string Page,
    string FirstName,
    string LastName,
    string Birthdate,
    string MemberId,
    string PostalCode,
    string Email,
    PageControl Submit);

public sealed record VerificationPageModel(string Page, string Code, PageControl Submit);

public sealed record ConsentPageModel(string Page, PageControl Allow, PageControl Deny);

/// <summary>The usual page an extra step comes before.</summary>
public enum FlowPage { Enrollment, Verification, Consent }

/// <summary>A page between the usual ones, such as terms of use: tick its checkboxes, then leave it by its control.</summary>
/// <param name="Page">How messages name this page, e.g. "terms page".</param>
/// <param name="Before">The usual page it comes before.</param>
/// <param name="Submit">The control that leaves the page (e.g. "Continue").</param>
/// <param name="Check">Labels of the checkboxes to tick, in order.</param>
/// <param name="Optional">Shown only sometimes (e.g. only on a first enrollment): skipped when the next usual page appears instead.</param>
public sealed record ExtraStepModel(string Page, FlowPage? Before, PageControl Submit, IReadOnlyList<string>? Check = null, bool Optional = false);
