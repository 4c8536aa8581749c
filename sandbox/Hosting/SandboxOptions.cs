namespace DemoHealthPlan.Sandbox.Hosting;

/// <summary>
/// What a host (the harness, a test, or Program.cs) can set when starting the sandbox.
/// Everything here maps to ordinary ASP.NET Core configuration keys under "Sandbox:"; <see cref="Settings"/>
/// passes any other key through unchanged (later wins).
/// </summary>
public sealed record SandboxStartOptions
{
    /// <summary>Loopback address to bind; port 0 picks a free port.</summary>
    public string Url { get; init; } = "http://127.0.0.1:0";

    /// <summary>Folder of FHIR R4 JSON files (resources or Bundles). Null: the data set shipped with the sandbox.</summary>
    public string? DataFolder { get; init; }

    /// <summary>Folder for the SQLite database, signing keys and data-protection keys. Null: a fresh temporary folder.</summary>
    public string? StateFolder { get; init; }

    public IReadOnlyList<string> Faults { get; init; } = [];

    /// <summary>Conformant variations to switch on (see SandboxVariations.Known).</summary>
    public IReadOnlyList<string> Variations { get; init; } = [];

    public TimeSpan? CodeLifetime { get; init; }

    /// <summary>Where verification emails are delivered (an SMTP server the caller runs).</summary>
    public string? SmtpHost { get; init; }
    public int? SmtpPort { get; init; }

    /// <summary>Raw configuration entries (e.g. "Sandbox:Clients:0:ClientId"), applied last.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Test doubles registered after the sandbox's own services (the sandbox's tests only).</summary>
    internal Action<IServiceCollection>? ConfigureTestServices { get; init; }

    internal IEnumerable<KeyValuePair<string, string?>> ToConfiguration()
    {
        if (DataFolder is not null) yield return new("Sandbox:DataFolder", DataFolder);
        if (StateFolder is not null) yield return new("Sandbox:StateFolder", StateFolder);
        if (Faults.Count > 0) yield return new("Sandbox:Faults", string.Join(",", Faults));
        if (Variations.Count > 0) yield return new("Sandbox:Variations", string.Join(",", Variations));
        if (CodeLifetime is { } lifetime) yield return new("Sandbox:CodeLifetimeSeconds", ((int)lifetime.TotalSeconds).ToString());
        if (SmtpHost is not null) yield return new("Sandbox:Smtp:Host", SmtpHost);
        if (SmtpPort is { } port) yield return new("Sandbox:Smtp:Port", port.ToString());
        foreach (var entry in Settings) yield return entry;
    }
}

/// <summary>A client registered with the sandbox's authorization server.</summary>
public sealed record SandboxClient(string ClientId, string ClientSecret, IReadOnlyList<Uri> RedirectUris, string DisplayName);

/// <summary>The addresses a running sandbox serves, as a client of a real payer would configure them.</summary>
public sealed record SandboxEndpoints(
    Uri BaseUrl,
    Uri AuthorizeEndpoint,
    Uri TokenEndpoint,
    Uri SmartConfiguration,
    Uri FhirBaseUrl,
    SandboxClient TestClient,
    string MailDelivery);
