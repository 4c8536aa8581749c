using DigitalInsurance.Conformance.Detection.Table;

namespace DigitalInsurance.Conformance.Detection.Machinery;

/// <summary>Detection tables written on the fly, loaded through the same parser as faults.json.</summary>
internal static class TestTables
{
    public static DetectionTable Load(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"detection-table-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try { return DetectionTable.Load(path); }
        finally { File.Delete(path); }
    }

    public static FaultRow Row(string fault, string rowJson) => Load($$"""{ "faults": { "{{fault}}": {{rowJson}} } }""").Faults[fault];
}
