using System.Text.Json;
using DigitalInsurance.Conformance.Support.Configuration;

namespace DigitalInsurance.Conformance.Support.OAuth;

/// <summary>
/// What the payer's SMART configuration advertises that changes the app's authorization requests, read once when the run
/// starts: <c>code_challenge_methods_supported</c> and <c>capabilities</c>. Null lists: the configuration could not be
/// read (<see cref="Problem"/>); the discovery scenarios judge that.
/// </summary>
public sealed record SmartAdvertisement(IReadOnlyList<string> CodeChallengeMethods, IReadOnlyList<string> Capabilities, string? Problem)
{
    public static SmartAdvertisement Unread(string why) => new([], [], why);

    public static async Task<SmartAdvertisement> ReadAsync(HttpMessageHandler network, Uri fhirBaseUrl, TimeSpan timeout)
    {
        var baseText = fhirBaseUrl.AbsoluteUri.EndsWith('/') ? fhirBaseUrl.AbsoluteUri : fhirBaseUrl.AbsoluteUri + "/";
        var address = new Uri(new Uri(baseText), ".well-known/smart-configuration");
        try
        {
            using var http = new HttpClient(network, disposeHandler: false) { Timeout = timeout };
            using var response = await http.GetAsync(address);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return new SmartAdvertisement(Strings(document.RootElement, "code_challenge_methods_supported"), Strings(document.RootElement, "capabilities"), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return Unread($"the SMART configuration at {address} could not be read ({e.Message})");
        }
    }

    /// <summary>SMART: a standalone app asks for <c>launch/patient</c> to get a patient in context where the server offers it.</summary>
    public bool OffersStandalonePatientContext => Capabilities.Contains("context-standalone-patient", StringComparer.Ordinal);

    /// <summary>SMART App Launch 2.x, capability <c>permission-v2</c>: "support for SMARTv2 granular scope syntax".</summary>
    public bool OffersV2Scopes => Capabilities.Contains(ClinicalScope.PermissionV2, StringComparer.Ordinal);

    private static IReadOnlyList<string> Strings(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!).ToList()
            : [];
}

/// <summary>
/// Whether the run's authorization requests carry an S256 PKCE challenge, and why: the usePkce setting, or (auto) the
/// SMART configuration's <c>code_challenge_methods_supported</c>. SMART 2 servers SHALL support S256, so auto uses it
/// wherever the payer says it can.
/// </summary>
public sealed record PkceUse(bool On, string Reason)
{
    public static PkceUse Decide(PkceMode mode, SmartAdvertisement advertised) => mode switch
    {
        PkceMode.On => new PkceUse(true, "usePkce=true sends an S256 challenge with every authorization request"),
        PkceMode.Off => new PkceUse(false, "usePkce=false: the run sends no PKCE challenge"),
        _ when advertised.Problem is { } problem => new PkceUse(false, $"usePkce=auto: {problem}, so no PKCE is sent"),
        _ when advertised.CodeChallengeMethods.Contains(Pkce.ChallengeMethod, StringComparer.Ordinal) =>
            new PkceUse(true, $"usePkce=auto: the SMART configuration's code_challenge_methods_supported lists {Pkce.ChallengeMethod}"),
        _ => new PkceUse(false, $"usePkce=auto: the SMART configuration's code_challenge_methods_supported does not list {Pkce.ChallengeMethod} " +
                                $"({(advertised.CodeChallengeMethods.Count == 0 ? "absent or empty" : string.Join(", ", advertised.CodeChallengeMethods))})"),
    };
}

/// <summary>
/// The scope the run's launches ask for, and why: the scope setting as it is, or (<see cref="ScopeSetting.Auto"/>) the clinical-data
/// scope of the scope syntax the payer advertises. SMART App Launch 2.x, Scopes for requesting clinical data: v2
/// <c>patient/*.rs</c> ("read and search any resource for the current patient") where the SMART configuration lists
/// <c>permission-v2</c>; otherwise SMART 1's <c>patient/*.read</c>, which v2 servers process as <c>.rs</c> and which is all
/// a server without <c>permission-v2</c> is known to support.
/// </summary>
public sealed record ClinicalScope(string Value, string Reason)
{
    public const string PermissionV2 = "permission-v2";
    public const string V2ReadAll = "patient/*.rs";
    public const string V1ReadAll = "patient/*.read";

    public static ClinicalScope Decide(string setting, SmartAdvertisement advertised) => setting switch
    {
        not ScopeSetting.Auto => new ClinicalScope(setting, "the scope setting, sent as it is"),
        _ when advertised.Problem is { } problem => new ClinicalScope(V1ReadAll, $"scope=auto: {problem}, so the SMART 1 scope"),
        _ when advertised.OffersV2Scopes => new ClinicalScope(V2ReadAll, $"scope=auto: the SMART configuration advertises {PermissionV2}, so the SMART v2 scope"),
        _ => new ClinicalScope(V1ReadAll, $"scope=auto: the SMART configuration does not advertise {PermissionV2}, so the SMART 1 scope"),
    };
}
