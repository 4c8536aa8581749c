namespace DigitalInsurance.Conformance.Support.Configuration;

public enum TargetKind { Sandbox, External }
public enum TokenAuthMethod { ClientSecretPost, ClientSecretBasic }

/// <summary>The usePkce setting: auto follows the SMART configuration's code_challenge_methods_supported; on and off force it.</summary>
public enum PkceMode { Auto, On, Off }

/// <summary>The scope setting's value that lets the SMART configuration choose the clinical-data scope (SMART v2 or v1).</summary>
public static class ScopeSetting
{
    public const string Auto = "auto";
}
public enum MailboxKind { Smtp, Imap }

/// <summary>
/// Every setting of a conformance run, in one typed record: bound from runsettings TestRunParameters and
/// environment variables (environment wins) by <see cref="SettingsBinder"/>. Nothing else reads settings.
/// </summary>
public sealed record HarnessSettings
{
    public required TargetKind Target { get; init; }

    /// <summary>Base of the authorization server (…/oauth2/authorize/digitalinsurance, …/oauth2/token). Filled from the sandbox when Target is Sandbox.</summary>
    public Uri? AuthBaseUrl { get; init; }
    public Uri? FhirBaseUrl { get; init; }
    public string AuthorizePath { get; init; } = "oauth2/authorize/digitalinsurance";
    public string TokenPath { get; init; } = "oauth2/token";

    public string? ClientId { get; init; }
    /// <summary>Only from the environment (DIC_CLIENT_SECRET), or the sandbox's own test client.</summary>
    public string? ClientSecret { get; init; }
    public Uri? RedirectUri { get; init; }
    /// <summary>
    /// The scope the app asks for; <see cref="ScopeSetting.Auto"/>: the clinical-data scope the SMART configuration calls
    /// for (patient/*.rs with permission-v2, else patient/*.read). Any other value is sent as it is.
    /// </summary>
    public string Scope { get; init; } = ScopeSetting.Auto;
    public TokenAuthMethod TokenAuth { get; init; } = TokenAuthMethod.ClientSecretPost;
    /// <summary>Whether authorization requests carry an S256 PKCE challenge; auto: when the SMART configuration advertises S256.</summary>
    public PkceMode UsePkce { get; init; } = PkceMode.Auto;
    /// <summary>How long the payer's authorization codes live (external targets; the sandbox's comes from <see cref="SandboxTargetSettings.CodeLifetime"/>).</summary>
    public TimeSpan CodeLifetime { get; init; } = TimeSpan.FromSeconds(300);
    /// <summary>
    /// Whether the write probes may send a write no precondition can make harmless (the create, which a server that
    /// ignores If-None-Exist carries out) to an external payer: only for a test payer whose data may change. The embedded
    /// sandbox's data is the run's own, so it is always probed.
    /// </summary>
    public bool AllowDataChangingProbes { get; init; }

    public required MemberSettings Member { get; init; }
    /// <summary>A second member, whose resources the first member's token must not reach. Null when not configured (external targets).</summary>
    public MemberSettings? OtherMember { get; init; }
    public required MailSettings Mail { get; init; }
    public required BrowserSettings Browser { get; init; }
    public required ValidationSettings Validation { get; init; }
    public required ReportingSettings Reporting { get; init; }
    public required SandboxTargetSettings Sandbox { get; init; }

    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>The part of the scenarios this process runs when CI spreads one run over several agents.</summary>
    public Runner.ShardSettings Shard { get; init; } = Runner.ShardSettings.Whole;
    /// <summary>Which requirements fail, warn or are off (setting <c>policy</c>, DIC_POLICY); defaults follow the IG's SHALL/SHOULD.</summary>
    public Rules.RequirementPolicy Policy { get; init; } = Rules.RequirementPolicy.Default;
    /// <summary>How many scenarios may run at once (setting <c>parallelism</c>, DIC_PARALLELISM); the runner reads it itself while it discovers the scenarios.</summary>
    public int Parallelism { get; init; } = 1;
    /// <summary>The members the @per-member scenarios run for (setting <c>membersFile</c>, DIC_MEMBERS_FILE): a JSON or CSV file; null: the member settings only.</summary>
    public string? MembersFile { get; init; }
}

/// <summary>The member under test: the five attributes the enrollment form asks for, plus the mailbox they use.</summary>
public sealed record MemberSettings
{
    public string FirstName { get; init; } = "Jason";
    public string LastName { get; init; } = "Argonaut";
    /// <summary>As typed into the form: MM/DD/YYYY.</summary>
    public string Birthdate { get; init; } = "01/01/1986";
    public string MemberId { get; init; } = "08-testmemid";
    public string PostalCode { get; init; } = "02114";
    /// <summary>Address the verification code is sent to. "{run}" is replaced by a value unique to the run, so each run enrols a new account.</summary>
    public string EmailTemplate { get; init; } = "member+{run}@dic-conformance.example";
}

public sealed record MailSettings
{
    public MailboxKind Kind { get; init; } = MailboxKind.Smtp;
    /// <summary>Loopback port the harness's SMTP listener binds; 0 picks a free one (sandbox target).</summary>
    public int SmtpListenPort { get; init; }
    public string? ImapHost { get; init; }
    public int ImapPort { get; init; } = 993;
    public bool ImapUseTls { get; init; } = true;
    public string? ImapUser { get; init; }
    /// <summary>Only from the environment (DIC_IMAP_PASSWORD).</summary>
    public string? ImapPassword { get; init; }
    public bool ImapDeleteAfterRead { get; init; }
    /// <summary>Accept an IMAP server certificate that does not validate (self-signed test servers only).</summary>
    public bool ImapAcceptInvalidCertificate { get; init; }
    /// <summary>Regular expression whose first group (or whole match) is the verification code.</summary>
    public string CodePattern { get; init; } = @"\b(\d{6})\b";
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}

public sealed record BrowserSettings
{
    public string? ExecutablePath { get; init; }
    public bool Headless { get; init; } = true;
    /// <summary>Enrollment page model (labels, buttons) as a JSON file; null: the sandbox's pages.</summary>
    public string? PageModelPath { get; init; }
    public TimeSpan ActionTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>ws:// endpoint of a Playwright server (`playwright run-server`, a browser farm); null: Chromium runs on this machine.</summary>
    public Uri? ServerEndpoint { get; init; }
    /// <summary>Which scenarios keep their (redacted) Playwright trace as evidence.</summary>
    public TraceRetention Traces { get; init; } = TraceRetention.All;
}

public enum TraceRetention
{
    /// <summary>Every scenario that used the browser: evidence of what passed, too.</summary>
    All,
    /// <summary>Only failed scenarios: smaller reports for large nightly runs.</summary>
    Failed,
}

public sealed record ValidationSettings
{
    /// <summary>Folder of FHIR packages (.tgz or extracted name#version folders), searched before ~/.fhir/packages.</summary>
    public string? PackageFolder { get; init; }
    /// <summary>FHIR package registries (npm protocol) a package found in neither folder is downloaded from, in order; empty when off.</summary>
    public IReadOnlyList<Uri> PackageRegistries { get; init; } = DefaultPackageRegistries;
    public static IReadOnlyList<Uri> DefaultPackageRegistries { get; } = [new("https://packages.fhir.org/"), new("https://packages2.fhir.org/")];
    /// <summary>C4DIC version whose manifest in profiles/ applies: 1.0.0 (default) or 1.1.0.</summary>
    public string IgVersion { get; init; } = "1.0.0";
}

public sealed record ReportingSettings
{
    /// <summary>Where allure-results are written; relative paths are under the test output folder.</summary>
    public string AllureResultsPath { get; init; } = "allure-results";
    public bool KeepPreviousResults { get; init; }
}

/// <summary>Settings passed through to the embedded sandbox when Target is Sandbox.</summary>
public sealed record SandboxTargetSettings
{
    public string? DataFolder { get; init; }
    public IReadOnlyList<string> Faults { get; init; } = [];
    /// <summary>Conformant differences from the sandbox's defaults (the sandbox's Sandbox:Variations).</summary>
    public IReadOnlyList<string> Variations { get; init; } = [];
    public TimeSpan? CodeLifetime { get; init; }
    /// <summary>
    /// SMTP server the sandbox delivers verification mail to when the harness reads a real mailbox (mailbox=imap);
    /// with mailbox=smtp the sandbox delivers to the harness's own listener.
    /// </summary>
    public string? SmtpHost { get; init; }
    public int? SmtpPort { get; init; }
}
