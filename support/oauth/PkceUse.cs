using System.Text.Json;
using DigitalInsurance.Conformance.Support.Configuration;

namespace DigitalInsurance.Conformance.Support.OAuth;

/// <summary>
/// Whether the run's authorization requests carry an S256 PKCE challenge, and why: the usePkce setting, or (auto) the
/// SMART configuration's <c>code_challenge_methods_supported</c>, read once when the run starts. SMART 2 servers SHALL
/// support S256, so auto uses it wherever the payer says it can.
/// </summary>
public sealed record PkceUse(bool On, string Reason)
{
    public static PkceUse Forced(PkceMode mode) => mode == PkceMode.On
        ? new PkceUse(true, "usePkce=true sends an S256 challenge with every authorization request")
        : new PkceUse(false, "usePkce=false: the run sends no PKCE challenge");

    /// <summary>Reads the SMART configuration below the FHIR base; an unreadable one means no PKCE (the discovery scenario judges it).</summary>
    public static async Task<PkceUse> DiscoverAsync(HttpMessageHandler network, Uri fhirBaseUrl, TimeSpan timeout)
    {
        var baseText = fhirBaseUrl.AbsoluteUri.EndsWith('/') ? fhirBaseUrl.AbsoluteUri : fhirBaseUrl.AbsoluteUri + "/";
        var address = new Uri(new Uri(baseText), ".well-known/smart-configuration");
        try
        {
            using var http = new HttpClient(network, disposeHandler: false) { Timeout = timeout };
            using var response = await http.GetAsync(address);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var methods = document.RootElement.ValueKind == JsonValueKind.Object
                          && document.RootElement.TryGetProperty("code_challenge_methods_supported", out var list)
                          && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!).ToList()
                : [];
            return methods.Contains(Pkce.ChallengeMethod, StringComparer.Ordinal)
                ? new PkceUse(true, $"usePkce=auto: the SMART configuration's code_challenge_methods_supported lists {Pkce.ChallengeMethod}")
                : new PkceUse(false, $"usePkce=auto: the SMART configuration's code_challenge_methods_supported does not list {Pkce.ChallengeMethod} " +
                                     $"({(methods.Count == 0 ? "absent or empty" : string.Join(", ", methods))})");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new PkceUse(false, $"usePkce=auto: the SMART configuration at {address} could not be read ({e.Message}), so no PKCE is sent");
        }
    }
}
