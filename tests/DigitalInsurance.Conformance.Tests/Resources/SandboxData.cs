using System.Text.Json.Nodes;
using DemoHealthPlan.Sandbox.Hosting;

namespace DigitalInsurance.Conformance.Tests.Resources;

/// <summary>The sandbox's data set as the tests read it: each resource's JSON by "Type/id".</summary>
internal static class SandboxData
{
    private static readonly Lazy<IReadOnlyDictionary<string, JsonObject>> All = new(Load);

    /// <summary>A fresh copy, so a test can strip elements without touching others.</summary>
    public static JsonObject Resource(string reference) =>
        All.Value.TryGetValue(reference, out var json)
            ? json.DeepClone().AsObject()
            : throw new ArgumentException($"The sandbox data set has no {reference}.", nameof(reference));

    private static IReadOnlyDictionary<string, JsonObject> Load()
    {
        var folder = Path.Combine(Path.GetDirectoryName(typeof(SandboxServer).Assembly.Location)!, "data");
        var resources = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var inFile = (string?)json["resourceType"] == "Bundle" ? json["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()) : [json];
            foreach (var resource in inFile)
                resources[$"{resource["resourceType"]}/{resource["id"]}"] = resource;
        }
        return resources;
    }
}
