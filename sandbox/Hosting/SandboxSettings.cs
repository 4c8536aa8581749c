using DemoHealthPlan.Sandbox.Faults;

namespace DemoHealthPlan.Sandbox.Hosting;

/// <summary>The sandbox's settings, bound once from configuration section "Sandbox".</summary>
public sealed record SandboxSettings
{
    public required string DataFolder { get; init; }
    public required string StateFolder { get; init; }
    /// <summary>True when no state folder was configured and a fresh temporary one was made; it is deleted on stop.</summary>
    public bool StateFolderIsTemporary { get; init; }
    public required SandboxFaults Faults { get; init; }
    public required SandboxVariations Variations { get; init; }
    public required TimeSpan CodeLifetime { get; init; }
    public required string SmtpHost { get; init; }
    public required int SmtpPort { get; init; }
    public required string MailFrom { get; init; }
    public required IReadOnlyList<SandboxClient> Clients { get; init; }
    public required TimeSpan AccessTokenLifetime { get; init; }
    public required int MaxVerificationAttempts { get; init; }
    public required TimeSpan VerificationCodeLifetime { get; init; }
    public required TimeSpan SlowResponseDelay { get; init; }

    /// <summary>File that receives every credential the sandbox issues (leak tests of clients); null: none is written.</summary>
    public string? IssuedCredentialsLog { get; init; }

    public static SandboxSettings Bind(IConfiguration configuration)
    {
        var section = configuration.GetSection("Sandbox");
        var dataFolder = section["DataFolder"] is { Length: > 0 } d ? Path.GetFullPath(d) : Path.Combine(AppContext.BaseDirectory, "data");
        if (!Directory.Exists(dataFolder))
            throw new SandboxConfigurationException($"Sandbox:DataFolder '{dataFolder}' does not exist. Point it at a folder of FHIR R4 JSON files.");
        var stateFolderIsTemporary = section["StateFolder"] is not { Length: > 0 };
        var stateFolder = section["StateFolder"] is { Length: > 0 } s
            ? Path.GetFullPath(s)
            : Path.Combine(Path.GetTempPath(), "demo-health-plan-sandbox", Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(stateFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SandboxConfigurationException($"Sandbox:StateFolder '{stateFolder}' cannot be created ({e.Message}). Point it at a writable folder.");
        }

        var faults = new SandboxFaults((section["Faults"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));
        var variations = new SandboxVariations((section["Variations"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));

        var clients = section.GetSection("Clients").GetChildren()
            .Select(c => new SandboxClient(
                Required(c, "ClientId"),
                Required(c, "ClientSecret"),
                c.GetSection("RedirectUris").GetChildren().Select(r => new Uri(r.Value!)).ToList(),
                c["DisplayName"] ?? Required(c, "ClientId")))
            .ToList();
        if (clients.Count == 0)
            throw new SandboxConfigurationException("No client is registered: set Sandbox:Clients:0:ClientId, ClientSecret and RedirectUris:0.");

        return new SandboxSettings
        {
            DataFolder = dataFolder,
            StateFolder = stateFolder,
            StateFolderIsTemporary = stateFolderIsTemporary,
            Faults = faults,
            Variations = variations,
            CodeLifetime = TimeSpan.FromSeconds(Int(section, "CodeLifetimeSeconds", variations.IsOn("code-lifetime-10-minutes") ? 600 : 300)),
            SmtpHost = section["Smtp:Host"] ?? "127.0.0.1",
            SmtpPort = Int(section, "Smtp:Port", 2525),
            MailFrom = section["Smtp:From"] ?? "no-reply@demo-health-plan.example",
            Clients = clients,
            AccessTokenLifetime = TimeSpan.FromSeconds(Int(section, "AccessTokenLifetimeSeconds", 3600)),
            MaxVerificationAttempts = Int(section, "MaxVerificationAttempts", 5),
            VerificationCodeLifetime = TimeSpan.FromSeconds(Int(section, "VerificationCodeLifetimeSeconds", 600)),
            SlowResponseDelay = TimeSpan.FromSeconds(Int(section, "SlowResponseDelaySeconds", 120)),
            IssuedCredentialsLog = section["IssuedCredentialsLog"] is { Length: > 0 } log ? Path.GetFullPath(log) : null,
        };
    }

    private static string Required(IConfigurationSection client, string key) =>
        client[key] is { Length: > 0 } v ? v : throw new SandboxConfigurationException($"{client.Path}:{key} is required.");

    private static int Int(IConfigurationSection section, string key, int fallback)
    {
        var raw = section[key];
        if (string.IsNullOrWhiteSpace(raw)) return fallback;
        return int.TryParse(raw, out var value) && value >= 0
            ? value
            : throw new SandboxConfigurationException($"Sandbox:{key} must be a whole number of at least 0, not '{raw}'.");
    }
}
