using System.Collections.Concurrent;

namespace DigitalInsurance.Conformance.Support.Redaction;

/// <summary>
/// The one redaction mechanism every output goes through (reports, evidence, console, TRX). Support code registers
/// each secret the moment it learns it (client secret, codes, tokens, member email); <see cref="Redact"/> replaces
/// every registered value with a label naming its kind.
/// </summary>
public static class Secrets
{
    private static readonly ConcurrentDictionary<string, string> Registered = new(StringComparer.Ordinal);

    public static void Register(string? value, string kind)
    {
        if (string.IsNullOrEmpty(value) || value.Length < 4) return;
        Registered[value] = kind;
    }

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        foreach (var (value, kind) in Registered.OrderByDescending(p => p.Key.Length))
            text = text.Replace(value, $"[redacted {kind}]", StringComparison.Ordinal);
        return text;
    }
}
