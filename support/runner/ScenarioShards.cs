using System.Globalization;
using System.Text;

namespace DigitalInsurance.Conformance.Support.Runner;

/// <summary>Shard <see cref="Index"/> (from 0) of <see cref="Count"/>: the share of the scenarios one CI agent runs.</summary>
public sealed record ShardSettings(int Index, int Count)
{
    public const int MaxCount = 1000;

    public static ShardSettings Whole { get; } = new(0, 1);

    public bool IsPartial => Count > 1;

    public override string ToString() => $"shard {Index} of {Count} (counting from 0)";

    /// <summary>shardIndex and shardCount as written in the settings; null: not set (index 0, count 1).</summary>
    /// <exception cref="ShardSettingsException">Not a whole number, or out of range.</exception>
    public static ShardSettings Parse(string? index, string? count)
    {
        var shardCount = Number(count, "shardCount", "DIC_SHARD_COUNT", 1, 1, MaxCount);
        var shardIndex = Number(index, "shardIndex", "DIC_SHARD_INDEX", 0, 0, MaxCount - 1);
        if (shardIndex >= shardCount)
            throw new ShardSettingsException(
                $"Setting 'shardIndex' is {shardIndex}, but with shardCount {shardCount} it must be 0 to {shardCount - 1} (shards count from 0). " +
                "Fix runsettings parameter 'shardIndex' or environment variable DIC_SHARD_INDEX.");
        return new ShardSettings(shardIndex, shardCount);
    }

    private static int Number(string? raw, string name, string variable, int fallback, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(raw)) return fallback;
        return int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ShardSettingsException(
                $"Setting '{name}' has the value '{raw.Trim()}', but it must be a whole number from {min} to {max}. Fix runsettings parameter '{name}' or environment variable {variable}.");
    }
}

/// <summary>shardIndex or shardCount is wrong; the message says which and how to fix it.</summary>
public sealed class ShardSettingsException(string message) : Exception(message), IUserFacingError;

/// <summary>
/// Splits the scenarios over CI agents: a scenario belongs to shard <c>hash(full test name) mod shardCount</c>. The hash
/// is FNV-1a over the name's UTF-8 bytes — the same on every machine and .NET version, unlike string.GetHashCode — so
/// every agent computes the same split, and the shards together hold each scenario exactly once.
/// </summary>
internal static class ScenarioShards
{
    public static bool Contains(ShardSettings shard, string testFullName) =>
        !shard.IsPartial || (int)(StableHash(testFullName) % (ulong)shard.Count) == shard.Index;

    /// <summary>
    /// The shard this process runs, read while the scenarios are discovered: environment (DIC_SHARD_INDEX,
    /// DIC_SHARD_COUNT) first, then the runsettings parameters shardIndex and shardCount.
    /// </summary>
    /// <exception cref="ShardSettingsException">A shard setting is wrong.</exception>
    public static ShardSettings Current() =>
        ShardSettings.Parse(DiscoverySetting.Read("DIC_SHARD_INDEX", "shardIndex"), DiscoverySetting.Read("DIC_SHARD_COUNT", "shardCount"));

    internal static ulong StableHash(string text)
    {
        const ulong offsetBasis = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= prime;
        }
        return hash;
    }
}
