using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Hosting;
using DigitalInsurance.Conformance.Support.Browser;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Mail;
using DigitalInsurance.Conformance.Support.Members;
using DigitalInsurance.Conformance.Support.OAuth;
using DigitalInsurance.Conformance.Support.Redaction;
using DigitalInsurance.Conformance.Support.Reporting;
using DigitalInsurance.Conformance.Support.Timing;
using DigitalInsurance.Conformance.Support.Validation;

namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>
/// Everything a conformance run sets up once: settings, the target (the embedded sandbox or an external payer),
/// the mailbox, the browser, the validator (warming up in the background) and the run's shared authorized session.
/// </summary>
public sealed class ConformanceRun : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private int _flowCount;

    private ConformanceRun(HarnessSettings settings)
    {
        Settings = settings;
        RunId = DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "-" + Guid.NewGuid().ToString("N")[..6];
        SharedAuthorization = new SharedAuthorization();
        Network = new PhaseTimingHandler(
            new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false },
            request => IsTokenRequest(request) ? Phase.OAuth : Phase.Http);
    }

    /// <summary>The settings with the target's endpoints filled in (for the sandbox, from the sandbox it started).</summary>
    public HarnessSettings Settings { get; private set; }
    public string RunId { get; }
    public string TargetName => Settings.Target == TargetKind.Sandbox ? "sandbox" : Settings.AuthBaseUrl!.Host;
    public Uri AuthorizeEndpoint => AuthorizationRequest.Endpoint(Settings.AuthBaseUrl!, Settings.AuthorizePath);
    public Uri TokenEndpoint => AuthorizationRequest.Endpoint(Settings.AuthBaseUrl!, Settings.TokenPath);
    public Uri FhirBaseUrl => Settings.FhirBaseUrl!;
    public IInbox Inbox { get; private set; } = null!;
    public BrowserHost Browser { get; private set; } = null!;
    public EnrollmentPageModel PageModel { get; private set; } = null!;
    public Task<ConformanceValidator> Validator { get; private set; } = null!;
    public SharedAuthorization SharedAuthorization { get; }
    /// <summary>The second member's authorization and resource ids, learnt once per run.</summary>
    public OtherMemberSession OtherMember { get; } = new();
    /// <summary>Each member's signed-in browser state after their first completed launch, for launches that only need a code.</summary>
    public ReturningMembers ReturningMembers { get; } = new();
    /// <summary>One connection pool for the run; each scenario wraps it in its own evidence-recording handler.</summary>
    /// <remarks>Every exchange is timed (<see cref="PhaseTimer"/>): token endpoint requests as OAuth, all others as HTTP.</remarks>
    public HttpMessageHandler Network { get; }
    public SandboxEndpoints? Sandbox { get; private set; }

    /// <summary>How long the embedded sandbox's authorization codes live, as it reports it (null: an external target).</summary>
    public TimeSpan? SandboxCodeLifetime { get; private set; }
    /// <summary>The target's time: the embedded sandbox's clock, advanced in-process; an external payer's, waited out.</summary>
    public TargetClock Clock { get; private set; } = new(sandboxClock: null);
    /// <summary>Whether authorization requests carry a PKCE challenge (the usePkce setting; auto: what the SMART configuration advertises).</summary>
    public PkceUse Pkce { get; private set; } = new(false, "the run has not read the SMART configuration");
    /// <summary>The scope launches ask for when a scenario names none (the scope setting; auto: what the SMART configuration advertises).</summary>
    public ClinicalScope Scope { get; private set; } = new(ClinicalScope.V1ReadAll, "the run has not read the SMART configuration");
    /// <summary>What the SMART configuration advertised when the run started, for the choices the app's requests make from it.</summary>
    public SmartAdvertisement Advertised { get; private set; } = SmartAdvertisement.Unread("the run has not read the SMART configuration yet");

    public static async Task<ConformanceRun> StartAsync(IReadOnlyDictionary<string, string?> parameters)
    {
        PhaseTimer.StartRun();
        HarnessSettings settings;
        try
        {
            settings = Setup(() => SettingsBinder.BindFromProcess(parameters));
        }
        catch
        {
            DescribeFailedStartForReports(SettingsBinder.ReportingFromProcessLeniently(parameters), target: "not started");
            throw;
        }
        var run = new ConformanceRun(settings);
        try
        {
            run.Members = Setup(() => settings.MembersFile is { } membersFile
                ? MemberRoster.Load(ResolvePath(membersFile)!, settings.Member)
                : []);
            await run.StartTargetAsync();
        }
        catch
        {
            DescribeFailedStartForReports(settings.Reporting, run.TargetName);
            await run.DisposeAsync();
            throw;
        }
        return run;
    }

    private async Task StartTargetAsync()
    {
        Secrets.Register(Settings.ClientSecret, "client secret");
        Secrets.Register(Settings.Mail.ImapPassword, "mailbox password");
        if (!Settings.Member.EmailTemplate.Contains("{run}")) Secrets.Register(Settings.Member.EmailTemplate, "member email");

        // Loading the IG packages costs seconds of CPU: start it first so it overlaps the browser flow.
        Validator = Task.Run(async () =>
        {
            var validation = Settings.Validation with { PackageFolder = ResolvePath(Settings.Validation.PackageFolder) };
            var validator = await ConformanceValidator.CreateAsync(validation, ProfilesFolder);
            await validator.WarmUpAsync();
            PhaseTimer.Milestone("validatorReady");
            return validator;
        });

        PageModel = Setup(() => EnrollmentPageModel.Load(ResolvePageModel(Settings.Browser.PageModelPath)));
        Inbox = Settings.Mail.Kind == MailboxKind.Smtp
            ? Own(await SmtpInbox.StartAsync(Settings.Mail.SmtpListenPort))
            : Own(new ImapInbox(Setup(() => ImapInboxOptions.FromSettings(Settings.Mail))));

        // The browser does not need the target to launch: start both at once (the validator is already warming up).
        var browserStart = PhaseTimer.MeasureAsync(Phase.Browser, () => SetupAsync(() => BrowserHost.StartAsync(Settings.Browser)));
        try
        {
            if (Settings.Target == TargetKind.Sandbox) await PhaseTimer.MeasureAsync(Phase.ServerStart, StartSandboxAsync);
        }
        catch
        {
            // Owned, so the run's disposal closes it; the sandbox's failure is the one the user must see.
            try { Own(await browserStart); }
            catch (Exception e) when (e is not OutOfMemoryException) { }
            throw;
        }
        Browser = Own(await browserStart);
        Advertised = Settings.FhirBaseUrl is { } fhirBase
            ? await SmartAdvertisement.ReadAsync(Network, fhirBase, Settings.HttpTimeout)
            : SmartAdvertisement.Unread("no FHIR base URL is configured");
        Pkce = PkceUse.Decide(Settings.UsePkce, Advertised);
        Scope = ClinicalScope.Decide(Settings.Scope, Advertised);
        DescribeRunForReports();
    }

    /// <summary>
    /// A run that could not start still reports every scenario as not run, with the reason, where the user looks for
    /// results: the reports learn at least the results folder. A folder that cannot be written must not hide the
    /// failure that stopped the start, so that one is what the user sees.
    /// </summary>
    private static void DescribeFailedStartForReports(ReportingSettings reporting, string target)
    {
        try
        {
            AllureRun.Configure(new AllureRunInfo
            {
                ResultsPath = reporting.AllureResultsPath,
                KeepPreviousResults = reporting.KeepPreviousResults,
                Target = target,
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            NUnit.Framework.TestContext.Progress.WriteLine($"Allure results could not be written to {reporting.AllureResultsPath}: {e.Message}");
        }
    }

    private void DescribeRunForReports()
    {
        AllureRun.Configure(new AllureRunInfo
        {
            ResultsPath = Settings.Reporting.AllureResultsPath,
            KeepPreviousResults = Settings.Reporting.KeepPreviousResults,
            Target = TargetName,
            AuthBaseUrl = Settings.AuthBaseUrl,
            FhirBaseUrl = Settings.FhirBaseUrl,
            BrowserVersion = Browser.BrowserVersion,
            Parameters =
            [
                new RunParameter("member", $"{Settings.Member.FirstName} {Settings.Member.LastName}"),
                new RunParameter("run", RunId, Excluded: true),
            ],
            ExtraEnvironment = RunEnvironment.Of(Settings),
        });
        AllureRun.SetEnvironment("pkce", $"{(Pkce.On ? "S256" : "off")}: {Pkce.Reason}");
        AllureRun.SetEnvironment("scope", $"{Scope.Value}: {Scope.Reason}");
        _ = Validator.ContinueWith(v => AllureRun.SetEnvironment("ig.packages", string.Join(", ", v.Result.LoadedPackages.Select(p => $"{p.Name}#{p.Version}"))),
            TaskContinuationOptions.OnlyOnRanToCompletion);
    }

    private async Task StartSandboxAsync()
    {
        // mailbox=smtp: the harness's own listener; mailbox=imap: the SMTP server that fills the mailbox the harness reads
        // (the settings binder has made sure both are set).
        var (smtpHost, smtpPort) = Inbox is SmtpInbox smtp
            ? (smtp.Host, smtp.Port)
            : (Settings.Sandbox.SmtpHost!, Settings.Sandbox.SmtpPort!.Value);
        var server = await SetupAsync(() => SandboxServer.StartAsync(new SandboxStartOptions
        {
            DataFolder = ResolvePath(Settings.Sandbox.DataFolder),
            Faults = Settings.Sandbox.Faults,
            Variations = Settings.Sandbox.Variations,
            CodeLifetime = Settings.Sandbox.CodeLifetime,
            SmtpHost = smtpHost,
            SmtpPort = smtpPort,
        }));
        Own(server);
        Sandbox = server.Endpoints;
        SandboxCodeLifetime = server.CodeLifetime;
        Clock = new TargetClock(server.Clock);
        var client = server.Endpoints.TestClient;
        Settings = Settings with
        {
            AuthBaseUrl = server.Endpoints.BaseUrl,
            FhirBaseUrl = server.Endpoints.FhirBaseUrl,
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            RedirectUri = client.RedirectUris[0],
        };
        Secrets.Register(client.ClientSecret, "client secret");
    }

    /// <summary>
    /// The members the @per-member scenarios run for, from the membersFile setting (each scenario picks its own by the
    /// "member" argument, see <see cref="MemberLabelled"/>); empty without the setting: they run for <see cref="HarnessSettings.Member"/>.
    /// </summary>
    public IReadOnlyList<MemberUnderTest> Members { get; private set; } = [];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<MemberSettings, SharedAuthorization> _memberSessions = new();

    /// <exception cref="HarnessSetupException">No member of the roster has that label (the scenarios were discovered with another members file).</exception>
    public MemberUnderTest MemberLabelled(string label) =>
        Members.FirstOrDefault(m => m.Label == label)
        ?? throw new HarnessSetupException(
            $"The scenario runs for member '{label}', but the members file ({Settings.MembersFile ?? "none"}) lists no such member: the tests were discovered with another members file. Run again.");

    /// <summary>
    /// The shared authorized session of <paramref name="member"/>: one browser flow per member and run. The member of the
    /// member settings shares <see cref="SharedAuthorization"/> with every scenario that is not per member.
    /// </summary>
    public SharedAuthorization SharedAuthorizationFor(MemberSettings member) =>
        member == Settings.Member ? SharedAuthorization : _memberSessions.GetOrAdd(member, _ => new SharedAuthorization());

    private bool IsTokenRequest(HttpRequestMessage request) =>
        request.RequestUri is { } uri && Settings.AuthBaseUrl is not null
        && Uri.Compare(uri, TokenEndpoint, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>The email address for the next enrollment: unique per flow, so each flow creates a new account.</summary>
    public string NextMemberEmail()
    {
        var template = Settings.Member.EmailTemplate;
        var email = template.Contains("{run}")
            ? template.Replace("{run}", $"{RunId}-{Interlocked.Increment(ref _flowCount)}")
            : template;
        Secrets.Register(email, "member email");
        return email;
    }

    public static string ProfilesFolder => Path.Combine(AppContext.BaseDirectory, "profiles");

    /// <summary>Where the run's phase timings are written when it ends (read by bench/, see bench/README.md).</summary>
    public static string TimingsFile => Path.Combine(AppContext.BaseDirectory, "timings.json");

    /// <summary>Relative paths in settings are relative to the test output folder, then to the working directory.</summary>
    private static string? ResolvePath(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || Path.IsPathRooted(path)) return path;
        var underOutput = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(underOutput) || Directory.Exists(underOutput) ? underOutput : Path.GetFullPath(path);
    }

    /// <summary>A shipped model's name ("sandbox", "1uphealth") passes through; anything else is a file path.</summary>
    private static string? ResolvePageModel(string? nameOrPath) =>
        nameOrPath is not null && !nameOrPath.Contains('/') && !nameOrPath.Contains('\\') && !nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? nameOrPath
            : ResolvePath(nameOrPath);

    private T Own<T>(T disposable) where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private static T Setup<T>(Func<T> start)
    {
        try { return start(); }
        catch (Exception e) when (UserFacingSetupError(e) is { } message) { throw new HarnessSetupException(message, e); }
    }

    private static async Task<T> SetupAsync<T>(Func<Task<T>> start)
    {
        try { return await start(); }
        catch (Exception e) when (UserFacingSetupError(e) is { } message) { throw new HarnessSetupException(message, e); }
    }

    /// <summary>Set-up failures whose messages already say what to fix.</summary>
    internal static string? UserFacingSetupError(Exception e) => e switch
    {
        SettingsException or BrowserFlowException or MailboxException or ValidationSetupException => e.Message,
        SandboxConfigurationException => $"The embedded sandbox could not start: {e.Message} "
            + "(The harness sets the sandbox's Sandbox:DataFolder, Sandbox:Faults, Sandbox:Variations and Sandbox:CodeLifetimeSeconds from its settings "
            + "sandboxDataFolder, sandboxFaults, sandboxVariations and sandboxCodeLifetimeSeconds, environment DIC_SANDBOX_DATA_FOLDER, DIC_SANDBOX_FAULTS, DIC_SANDBOX_VARIATIONS, DIC_SANDBOX_CODE_LIFETIME_SECONDS.)",
        _ => null,
    };

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            try { await _owned[i].DisposeAsync(); }
            catch (Exception e) { Console.Error.WriteLine(Secrets.Redact($"Stopping {_owned[i].GetType().Name} failed: {e.Message}")); }
        }
        Network.Dispose();
        if (Validator is { IsCompletedSuccessfully: true } validator)
        {
            // Validation asked for (the validation phase's count) against verdicts computed: the memo's effect, for bench/.
            PhaseTimer.Count("validationsRun", validator.Result.ValidationsRun);
            PhaseTimer.Count("verdictsMemoized", validator.Result.MemoizedVerdicts);
        }
        PhaseTimer.EndRun();
        PhaseTimer.WriteSummary(TimingsFile);
    }
}
