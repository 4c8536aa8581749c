using System.Globalization;
using System.Text;

namespace DigitalInsurance.Conformance.Support.Configuration;

/// <summary>
/// Binds <see cref="HarnessSettings"/> from runsettings TestRunParameters and environment variables.
/// Every setting has a parameter name (camelCase, used in runsettings) and an environment variable (DIC_ + UPPER_SNAKE);
/// the environment wins. Secrets are read only from the environment, so they never sit in a file that gets committed.
/// </summary>
public static class SettingsBinder
{
    /// <summary>Settings whose values are secrets: environment only.</summary>
    private static readonly HashSet<string> EnvironmentOnly = ["clientSecret", "imapPassword", "memberEmail"];

    public static string EnvironmentVariableFor(string parameter)
    {
        var name = new StringBuilder("DIC_");
        foreach (var c in parameter)
        {
            if (char.IsUpper(c)) name.Append('_');
            name.Append(char.ToUpperInvariant(c));
        }
        return name.ToString();
    }

    /// <summary>Every setting the harness reads, for documentation and for rejecting misspelt parameters.</summary>
    public static IReadOnlyList<string> KnownParameters { get; } =
    [
        "target", "authBaseUrl", "fhirBaseUrl", "authorizePath", "tokenPath", "clientId", "clientSecret", "redirectUri",
        "scope", "tokenAuthMethod", "usePkce", "httpTimeoutSeconds", "codeLifetimeSeconds", "allowDataChangingProbes",
        "memberFirstName", "memberLastName", "memberBirthdate", "memberId", "memberPostalCode", "memberEmail",
        "otherMemberFirstName", "otherMemberLastName", "otherMemberBirthdate", "otherMemberId", "otherMemberPostalCode",
        "mailbox", "smtpListenPort", "imapHost", "imapPort", "imapUseTls", "imapUser", "imapPassword", "imapDeleteAfterRead", "imapAcceptInvalidCertificate",
        "verificationCodePattern", "mailTimeoutSeconds",
        "browserExecutablePath", "headless", "pageModel", "browserTimeoutSeconds", "browserServerEndpoint", "browserTraces",
        "fhirPackages", "fhirPackageRegistry", "igVersion",
        "allureResultsPath", "keepAllureResults", "shardIndex", "shardCount",
        "sandboxDataFolder", "sandboxFaults", "sandboxVariations", "sandboxCodeLifetimeSeconds", "sandboxSmtpHost", "sandboxSmtpPort",
        "policy",
        "parallelism", "membersFile",
    ];

    public static HarnessSettings Bind(IReadOnlyDictionary<string, string?> parameters, IReadOnlyDictionary<string, string?> environment)
    {
        var unknown = parameters.Keys.Where(k => !KnownParameters.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new SettingsException(
                $"Unknown runsettings parameter(s): {string.Join(", ", unknown)}. Known parameters: {string.Join(", ", KnownParameters)}.");
        foreach (var secret in EnvironmentOnly)
            if (parameters.TryGetValue(secret, out var value) && !string.IsNullOrEmpty(value))
                throw new SettingsException(
                    $"Setting '{secret}' is a secret and must not be in a runsettings file: remove it there and set the environment variable {EnvironmentVariableFor(secret)} instead.");

        var read = new Reader(parameters, environment);
        var target = read.Enum("target", TargetKind.Sandbox, ("sandbox", TargetKind.Sandbox), ("external", TargetKind.External));
        var shard = ReadShard(read);

        var settings = new HarnessSettings
        {
            Target = target,
            AuthBaseUrl = read.Url("authBaseUrl"),
            FhirBaseUrl = read.Url("fhirBaseUrl"),
            AuthorizePath = read.Text("authorizePath") ?? "oauth2/authorize/digitalinsurance",
            TokenPath = read.Text("tokenPath") ?? "oauth2/token",
            ClientId = read.Text("clientId"),
            ClientSecret = read.Text("clientSecret"),
            RedirectUri = read.Url("redirectUri"),
            Scope = read.Text("scope") ?? ScopeSetting.Auto,
            TokenAuth = read.Enum("tokenAuthMethod", TokenAuthMethod.ClientSecretPost,
                ("post", TokenAuthMethod.ClientSecretPost), ("client_secret_post", TokenAuthMethod.ClientSecretPost),
                ("basic", TokenAuthMethod.ClientSecretBasic), ("client_secret_basic", TokenAuthMethod.ClientSecretBasic)),
            UsePkce = read.Enum("usePkce", PkceMode.Auto, ("auto", PkceMode.Auto), ("true", PkceMode.On), ("on", PkceMode.On), ("false", PkceMode.Off), ("off", PkceMode.Off)),
            CodeLifetime = read.Seconds("codeLifetimeSeconds", 300),
            AllowDataChangingProbes = read.Bool("allowDataChangingProbes", false),
            HttpTimeout = read.Seconds("httpTimeoutSeconds", 20),
            Shard = shard,
            Policy = read.Policy(Rules.RequirementPolicy.SettingName),
            Parallelism = read.Int("parallelism", 1, 1, 64),
            MembersFile = read.Text("membersFile"),
            Member = new MemberSettings
            {
                FirstName = read.Text("memberFirstName") ?? "Jason",
                LastName = read.Text("memberLastName") ?? "Argonaut",
                Birthdate = read.Birthdate("memberBirthdate") ?? "01/01/1986",
                MemberId = read.Text("memberId") ?? "08-testmemid",
                PostalCode = read.Text("memberPostalCode") ?? "02114",
                EmailTemplate = read.Text("memberEmail") ?? "member+{run}@dic-conformance.example",
            },
            Mail = new MailSettings
            {
                Kind = read.Enum("mailbox", MailboxKind.Smtp, ("smtp", MailboxKind.Smtp), ("imap", MailboxKind.Imap)),
                SmtpListenPort = read.Int("smtpListenPort", 0, 0, 65535),
                ImapHost = read.Text("imapHost"),
                ImapPort = read.Int("imapPort", 993, 1, 65535),
                ImapUseTls = read.Bool("imapUseTls", true),
                ImapUser = read.Text("imapUser"),
                ImapPassword = read.Text("imapPassword"),
                ImapDeleteAfterRead = read.Bool("imapDeleteAfterRead", false),
                ImapAcceptInvalidCertificate = read.Bool("imapAcceptInvalidCertificate", false),
                CodePattern = read.Regex("verificationCodePattern") ?? @"\b(\d{6})\b",
                Timeout = read.Seconds("mailTimeoutSeconds", 60),
            },
            Browser = new BrowserSettings
            {
                ExecutablePath = read.Text("browserExecutablePath"),
                Headless = read.Bool("headless", true),
                PageModelPath = read.Text("pageModel"),
                ActionTimeout = read.Seconds("browserTimeoutSeconds", 15),
                ServerEndpoint = read.WebSocketUrl("browserServerEndpoint"),
                Traces = read.Enum("browserTraces", TraceRetention.All, ("all", TraceRetention.All), ("failed", TraceRetention.Failed)),
            },
            Validation = new ValidationSettings
            {
                PackageFolder = read.Text("fhirPackages"),
                PackageRegistries = read.Registries("fhirPackageRegistry") ?? ValidationSettings.DefaultPackageRegistries,
                IgVersion = read.Enum("igVersion", "1.0.0", ("1.0.0", "1.0.0"), ("1.1.0", "1.1.0")),
            },
            Reporting = new ReportingSettings
            {
                AllureResultsPath = AllureResultsPath(read, shard),
                KeepPreviousResults = read.Bool("keepAllureResults", false),
            },
            Sandbox = new SandboxTargetSettings
            {
                DataFolder = read.Text("sandboxDataFolder"),
                Faults = (read.Text("sandboxFaults") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Variations = (read.Text("sandboxVariations") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                CodeLifetime = read.Has("sandboxCodeLifetimeSeconds") ? read.Seconds("sandboxCodeLifetimeSeconds", 300) : null,
                SmtpHost = read.Text("sandboxSmtpHost"),
                SmtpPort = read.Has("sandboxSmtpPort") ? read.Int("sandboxSmtpPort", 25, 1, 65535) : null,
            },
        };

        settings = settings with { OtherMember = BindOtherMember(read, target, settings.Member.EmailTemplate, settings.Sandbox.DataFolder) };
        if (target == TargetKind.External) RequireExternalTarget(settings, read);
        if (target == TargetKind.Sandbox && settings.Mail.Kind == MailboxKind.Imap) RequireSandboxWithImap(settings, read);
        return settings;
    }

    private static readonly string[] OtherMemberParameters =
        ["otherMemberFirstName", "otherMemberLastName", "otherMemberBirthdate", "otherMemberId", "otherMemberPostalCode"];

    /// <summary>
    /// The second member: all five attributes or none. None means Amy Shaw, a member of the sandbox's shipped data set, for
    /// the sandbox with its shipped data, and "not configured" for an external payer or a sandbox serving a data folder of
    /// the user's own (sandboxDataFolder), where Amy Shaw may not exist. Their verification mail goes to the same mailbox.
    /// </summary>
    private static MemberSettings? BindOtherMember(Reader read, TargetKind target, string emailTemplate, string? sandboxDataFolder)
    {
        var given = OtherMemberParameters.Where(read.Has).ToList();
        if (given.Count == 0)
            return target == TargetKind.Sandbox && sandboxDataFolder is null
                ? new MemberSettings { FirstName = "Amy", LastName = "Shaw", Birthdate = "09/23/1979", MemberId = "DHP-4417-2093", PostalCode = "60614", EmailTemplate = emailTemplate }
                : null;
        if (given.Count < OtherMemberParameters.Length)
            throw new SettingsException(
                $"The other member needs all five attributes, but these are missing: {string.Join("; ", OtherMemberParameters.Except(given).Select(read.Describe))}.");
        return new MemberSettings
        {
            FirstName = read.Text("otherMemberFirstName")!,
            LastName = read.Text("otherMemberLastName")!,
            Birthdate = read.Birthdate("otherMemberBirthdate")!,
            MemberId = read.Text("otherMemberId")!,
            PostalCode = read.Text("otherMemberPostalCode")!,
            EmailTemplate = emailTemplate,
        };
    }

    /// <summary>The shard settings; the test runner reads them itself while it discovers the scenarios (ScenarioShards).</summary>
    private static Runner.ShardSettings ReadShard(Reader read)
    {
        try
        {
            return Runner.ShardSettings.Parse(read.Text("shardIndex"), read.Text("shardCount"));
        }
        catch (Runner.ShardSettingsException e)
        {
            throw new SettingsException(e.Message);
        }
    }

    /// <summary>Binds from the process environment and the given runsettings parameters.</summary>
    public static HarnessSettings BindFromProcess(IReadOnlyDictionary<string, string?> parameters) => Bind(parameters, ProcessEnvironment());

    private static Dictionary<string, string?> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => e.Key is string k && k.StartsWith("DIC_", StringComparison.Ordinal))
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value);

    /// <summary>
    /// Where reports go, read on its own when the settings as a whole do not bind: a run that stops on a wrong setting
    /// still reports each scenario (with the one message) in the results folder the user asked for. A value that is
    /// itself wrong falls back to its default here; the full binding reports it.
    /// </summary>
    public static ReportingSettings ReportingFromProcessLeniently(IReadOnlyDictionary<string, string?> parameters)
    {
        var read = new Reader(parameters, ProcessEnvironment());
        Runner.ShardSettings shard;
        try { shard = ReadShard(read); }
        catch (SettingsException) { shard = Runner.ShardSettings.Whole; }
        bool keep;
        try { keep = read.Bool("keepAllureResults", false); }
        catch (SettingsException) { keep = false; }
        return new ReportingSettings { AllureResultsPath = AllureResultsPath(read, shard), KeepPreviousResults = keep };
    }

    // Each shard writes its own folder, so agents sharing a workspace never mix or wipe each other's results.
    private static string AllureResultsPath(Reader read, Runner.ShardSettings shard) =>
        read.Text("allureResultsPath") ?? (shard.IsPartial ? $"allure-results-shard{shard.Index}" : "allure-results");

    /// <summary>The sandbox sends its mail to an SMTP server that fills the IMAP mailbox the harness reads.</summary>
    private static void RequireSandboxWithImap(HarnessSettings settings, Reader read)
    {
        var missing = new List<string>();
        if (settings.Sandbox.SmtpHost is null) missing.Add(read.Describe("sandboxSmtpHost"));
        if (settings.Sandbox.SmtpPort is null) missing.Add(read.Describe("sandboxSmtpPort"));
        AddMissingImapSettings(settings, read, missing);
        if (missing.Count > 0)
            throw new SettingsException(
                $"Target 'sandbox' with mailbox 'imap' needs these settings: {string.Join("; ", missing)}. " +
                "The sandbox delivers verification mail by SMTP to sandboxSmtpHost:sandboxSmtpPort, and the harness reads it from the IMAP mailbox; or use mailbox=smtp.");
    }

    private static void RequireExternalTarget(HarnessSettings settings, Reader read)
    {
        var missing = new List<string>();
        if (settings.AuthBaseUrl is null) missing.Add(read.Describe("authBaseUrl"));
        if (settings.FhirBaseUrl is null) missing.Add(read.Describe("fhirBaseUrl"));
        if (settings.ClientId is null) missing.Add(read.Describe("clientId"));
        if (settings.ClientSecret is null) missing.Add($"clientSecret (environment variable {EnvironmentVariableFor("clientSecret")})");
        if (settings.RedirectUri is null) missing.Add(read.Describe("redirectUri"));
        if (!settings.Member.EmailTemplate.Contains('@') || settings.Member.EmailTemplate.Contains("dic-conformance.example"))
            missing.Add($"memberEmail (environment variable {EnvironmentVariableFor("memberEmail")}: the address of a mailbox the harness can read)");
        if (settings.Mail.Kind == MailboxKind.Imap) AddMissingImapSettings(settings, read, missing);
        if (missing.Count > 0)
            throw new SettingsException(
                $"Target 'external' needs these settings: {string.Join("; ", missing)}. " +
                "Set them in your runsettings file (TestRunParameters) or as environment variables; secrets only as environment variables.");
        RequireHttps(settings.AuthBaseUrl!, "authBaseUrl", read);
        RequireHttps(settings.FhirBaseUrl!, "fhirBaseUrl", read);
    }

    /// <summary>
    /// An external payer's authorization server (authorize and token endpoints) and FHIR API over https: the client secret,
    /// codes and tokens must not cross the network in clear (smart-transport-tls). Loopback hosts are exempt, for test payers.
    /// </summary>
    private static void RequireHttps(Uri url, string name, Reader read)
    {
        if (!Rules.TransportRules.IsPlainHttpToExternalHost(url)) return;
        var https = new UriBuilder(url) { Scheme = Uri.UriSchemeHttps, Port = url.IsDefaultPort ? -1 : url.Port }.Uri;
        throw new SettingsException(
            $"Setting '{name}' is {url}, plain http to a host that is not loopback: the client secret and the member's tokens would cross the network in clear " +
            $"[{Rules.Requirements.SmartTransportTls.Id}: RFC 6749 3.1/3.2/10.9 require TLS]. Use the payer's https address (e.g. {https}) in {read.Describe(name)}; " +
            "only a loopback host (127.0.0.1, ::1, localhost) may use http, for a test payer on this machine.");
    }

    /// <summary>What an IMAP mailbox needs: host, user and the password (environment only).</summary>
    private static void AddMissingImapSettings(HarnessSettings settings, Reader read, List<string> missing)
    {
        if (settings.Mail.ImapHost is null) missing.Add(read.Describe("imapHost"));
        if (settings.Mail.ImapUser is null) missing.Add(read.Describe("imapUser"));
        if (settings.Mail.ImapPassword is null) missing.Add($"imapPassword (environment variable {EnvironmentVariableFor("imapPassword")})");
    }

    private sealed class Reader(IReadOnlyDictionary<string, string?> parameters, IReadOnlyDictionary<string, string?> environment)
    {
        public bool Has(string name) => Raw(name) is not null;

        public string Describe(string name) => $"{name} (runsettings parameter '{name}' or environment variable {EnvironmentVariableFor(name)})";

        public string? Text(string name) => Raw(name);

        private string? Raw(string name)
        {
            if (environment.TryGetValue(EnvironmentVariableFor(name), out var fromEnvironment) && !string.IsNullOrWhiteSpace(fromEnvironment))
                return fromEnvironment.Trim();
            if (!EnvironmentOnly.Contains(name) && parameters.TryGetValue(name, out var fromParameters) && !string.IsNullOrWhiteSpace(fromParameters))
                return fromParameters.Trim();
            return null;
        }

        private SettingsException Invalid(string name, string value, string expected) =>
            new($"Setting '{name}' has the value '{value}', but it must be {expected}. Fix runsettings parameter '{name}' or environment variable {EnvironmentVariableFor(name)}.");

        public T Enum<T>(string name, T fallback, params (string Text, T Value)[] choices)
        {
            var raw = Raw(name);
            if (raw is null) return fallback;
            foreach (var (text, value) in choices)
                if (string.Equals(text, raw, StringComparison.OrdinalIgnoreCase)) return value;
            throw Invalid(name, raw, "one of " + string.Join(", ", choices.Select(c => c.Text).Distinct()));
        }

        public bool Bool(string name, bool fallback)
        {
            var raw = Raw(name);
            if (raw is null) return fallback;
            return raw.ToLowerInvariant() switch
            {
                "true" or "yes" or "1" or "on" => true,
                "false" or "no" or "0" or "off" => false,
                _ => throw Invalid(name, raw, "true or false"),
            };
        }

        public int Int(string name, int fallback, int min, int max)
        {
            var raw = Raw(name);
            if (raw is null) return fallback;
            return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw Invalid(name, raw, $"a whole number from {min} to {max}");
        }

        public TimeSpan Seconds(string name, int fallback) => TimeSpan.FromSeconds(Int(name, fallback, 1, 86_400));

        public Uri? Url(string name)
        {
            var raw = Raw(name);
            if (raw is null) return null;
            if (Uri.TryCreate(raw, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                return uri;
            throw Invalid(name, raw, "an absolute http(s) URL such as https://payer.example/fhir");
        }

        /// <summary>`off`, or http(s) URLs separated by commas, tried in order.</summary>
        public IReadOnlyList<Uri>? Registries(string name)
        {
            var raw = Raw(name);
            if (raw is null) return null;
            if (raw.Trim().Equals("off", StringComparison.OrdinalIgnoreCase)) return [];
            var urls = new List<Uri>();
            foreach (var part in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                    throw Invalid(name, raw, "off, or FHIR package registry URLs separated by commas, such as https://packages.fhir.org,https://packages2.fhir.org");
                urls.Add(uri);
            }
            return urls.Count > 0 ? urls : throw Invalid(name, raw, "off, or at least one FHIR package registry URL such as https://packages.fhir.org");
        }

        public Uri? WebSocketUrl(string name)
        {
            var raw = Raw(name);
            if (raw is null) return null;
            if (Uri.TryCreate(raw, UriKind.Absolute, out var uri) && (uri.Scheme == "ws" || uri.Scheme == "wss"))
                return uri;
            throw Invalid(name, raw, "a ws:// or wss:// URL of a Playwright server, such as ws://127.0.0.1:3000/");
        }

        public string? Birthdate(string name)
        {
            var raw = Raw(name);
            if (raw is null) return null;
            return DateOnly.TryParseExact(raw, "MM/dd/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? raw
                : throw Invalid(name, raw, "a date written MM/DD/YYYY, as the enrollment form asks (e.g. 01/01/1986)");
        }

        public Rules.RequirementPolicy Policy(string name)
        {
            var raw = Raw(name);
            try { return Rules.RequirementPolicy.Parse(raw); }
            catch (FormatException e) { throw Invalid(name, raw!, e.Message); }
        }

        public string? Regex(string name)
        {
            var raw = Raw(name);
            if (raw is null) return null;
            try { _ = new System.Text.RegularExpressions.Regex(raw); }
            catch (ArgumentException e) { throw Invalid(name, raw, $"a valid regular expression ({e.Message})"); }
            return raw;
        }
    }
}
