using DigitalInsurance.Conformance.Support.Configuration;

namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>
/// The settings that change what a run verifies, as environment.properties entries: two reports that differ here are
/// not comparable result for result.
/// </summary>
public static class RunEnvironment
{
    public static IReadOnlyDictionary<string, string> Of(HarnessSettings settings) => new Dictionary<string, string>
    {
        ["ig.version"] = settings.Validation.IgVersion,
        ["sandbox.faults"] = settings.Target == TargetKind.Sandbox ? string.Join(",", settings.Sandbox.Faults.DefaultIfEmpty("none")) : "n/a",
        ["sandbox.variations"] = settings.Target == TargetKind.Sandbox ? string.Join(",", settings.Sandbox.Variations.DefaultIfEmpty("none")) : "n/a",
        ["policy"] = settings.Policy.Describe(),
        ["scope"] = settings.Scope,
        ["page.model"] = settings.Browser.PageModelPath is { Length: > 0 } model ? model : "sandbox",
        ["token.auth.method"] = settings.TokenAuth == TokenAuthMethod.ClientSecretBasic ? "client_secret_basic" : "client_secret_post",
        ["pkce"] = settings.UsePkce switch { PkceMode.On => "S256", PkceMode.Off => "off", _ => "auto" },
        ["shard"] = settings.Shard.IsPartial ? $"{settings.Shard.Index + 1} of {settings.Shard.Count} (shardIndex {settings.Shard.Index})" : "all scenarios (no sharding)",
    };
}
