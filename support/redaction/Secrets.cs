using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DigitalInsurance.Conformance.Support.Redaction;

/// <summary>
/// The one redaction mechanism every output goes through (Allure results, evidence, console, Reqnroll reports, TRX).
/// Support code registers each secret the moment it learns it (client secret, codes, tokens, member email);
/// <see cref="Redact"/> replaces every registered value with a label naming its kind, then masks what looks like a
/// credential even if nobody registered it (bearer/basic headers, JWTs, OAuth parameters in URLs, forms and JSON).
/// </summary>
public static class Secrets
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, string> Registered = new(StringComparer.Ordinal);
    // Longest first, so a secret that contains another one is replaced whole. Rebuilt on registration, read lock-free.
    private static volatile KeyValuePair<string, string>[] _ordered = [];

    /// <summary>Values shorter than this are not registered: replacing them would shred ordinary text.</summary>
    public const int MinimumLength = 4;

    public static void Register(string? value, string kind)
    {
        if (string.IsNullOrEmpty(value) || value.Length < MinimumLength) return;
        lock (Gate)
        {
            var added = false;
            // The same secret travels URL-encoded in query strings and form bodies, and JSON-escaped in payloads.
            foreach (var form in EncodedForms(value))
                if (form.Length >= MinimumLength && Registered.TryAdd(form, kind)) added = true;
            if (added) _ordered = Registered.OrderByDescending(p => p.Key.Length).ThenBy(p => p.Key, StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>True when <paramref name="value"/> (or an encoded form of it) has been registered.</summary>
    public static bool IsRegistered(string? value) =>
        !string.IsNullOrEmpty(value) && Array.Exists(_ordered, p => p.Key == value);

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        foreach (var (value, kind) in _ordered)
            if (text.Contains(value, StringComparison.Ordinal))
                text = text.Replace(value, Label(kind), StringComparison.Ordinal);
        return RedactionPatterns.Apply(text);
    }

    /// <summary>The text that replaces a secret of the given kind, e.g. "[redacted access token]".</summary>
    public static string Label(string kind) => $"[redacted {kind}]";

    /// <summary>
    /// A JWT's decoded header and claims as indented JSON, for evidence where the claims matter. The signature and the
    /// raw token are never included; claim values that are registered secrets (e.g. the member's email) stay redacted.
    /// </summary>
    public static string DescribeJwt(string? jwt)
    {
        var parts = (jwt ?? "").Trim().Split('.');
        if (parts.Length != 3)
            return $"Not a JWT: expected three dot-separated base64url parts, found {parts.Length}.";
        var json = new StringBuilder();
        json.Append("{\n  \"header\": ");
        if (!TryDecodeJsonPart(parts[0], out var header, out var headerError)) return $"Not a JWT: the header part {headerError}.";
        if (!TryDecodeJsonPart(parts[1], out var claims, out var claimsError)) return $"Not a JWT: the claims part {claimsError}.";
        json.Append(Indent(header)).Append(",\n  \"claims\": ").Append(Indent(claims)).Append(",\n  \"signature\": \"(omitted)\"\n}");
        return Redact(json.ToString());

        static string Indent(string block) => block.Replace("\n", "\n  ", StringComparison.Ordinal);
    }

    /// <summary>
    /// Wraps Console.Out and Console.Error in <see cref="RedactingTextWriter"/> (once; again if something replaced them).
    /// NUnit installs its capturing writer once per run before any test, so wrapping above it redacts what each test
    /// prints, and with it the console output NUnit copies into TRX and Reqnroll's default trace output.
    /// </summary>
    public static void InstallConsoleRedaction()
    {
        lock (Gate)
        {
            if (!ReferenceEquals(Console.Out, _installedOut))
            {
                Console.SetOut(new RedactingTextWriter(Console.Out));
                _installedOut = Console.Out;
            }
            if (!ReferenceEquals(Console.Error, _installedError))
            {
                Console.SetError(new RedactingTextWriter(Console.Error));
                _installedError = Console.Error;
            }
        }
    }

    private static TextWriter? _installedOut;
    private static TextWriter? _installedError;

    /// <summary>
    /// An exception safe to hand to NUnit (its message and stack trace end up in TRX and console summaries): the same
    /// instance when nothing in it needs redacting, otherwise a copy with redacted message and trace that keeps NUnit's
    /// verdict (assertion failures stay failures, everything else stays an error).
    /// </summary>
    public static Exception RedactException(Exception exception)
    {
        var message = exception.Message;
        var trace = exception.ToString();
        var redactedMessage = Redact(message);
        var redactedTrace = Redact(trace);
        if (redactedMessage == message && redactedTrace == trace) return exception;
        return exception switch
        {
            NUnit.Framework.AssertionException or NUnit.Framework.MultipleAssertException => new RedactedAssertionException(redactedMessage, redactedTrace),
            NUnit.Framework.IgnoreException => new NUnit.Framework.IgnoreException(redactedMessage),
            NUnit.Framework.InconclusiveException => new NUnit.Framework.InconclusiveException(redactedMessage),
            _ => new RedactedException(exception.GetType().FullName ?? exception.GetType().Name, redactedMessage, redactedTrace),
        };
    }

    /// <summary>
    /// Redacts text report files in place (Reqnroll's html/ndjson formatter output, logs). A safety net for files written
    /// by components that cannot be handed redacted text; call it after they are closed. Missing files are skipped.
    /// Returns the files that changed.
    /// </summary>
    public static IReadOnlyList<string> RedactFilesInPlace(IEnumerable<string> paths)
    {
        var changed = new List<string>();
        foreach (var path in paths)
        {
            if (!File.Exists(path)) continue;
            var original = File.ReadAllText(path);
            var redacted = Redact(original);
            if (redacted == original) continue;
            var temporary = path + ".redacting";
            File.WriteAllText(temporary, redacted, new UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
            changed.Add(path);
        }
        return changed;
    }

    private static IEnumerable<string> EncodedForms(string value)
    {
        yield return value;
        yield return Uri.EscapeDataString(value);
        yield return WebUtility.UrlEncode(value);
        var json = JsonSerializer.Serialize(value)[1..^1];
        yield return json;
        yield return JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
    }

    private static bool TryDecodeJsonPart(string part, out string json, out string error)
    {
        json = "";
        byte[] bytes;
        try
        {
            var base64 = part.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            error = "is not base64url";
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            json = JsonSerializer.Serialize(document.RootElement, IndentedJson);
            error = "";
            return true;
        }
        catch (JsonException)
        {
            error = "is not JSON";
            return false;
        }
    }

    private static readonly JsonSerializerOptions IndentedJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>An exception whose message or trace had to be redacted before NUnit could see it.</summary>
public sealed class RedactedException(string originalType, string message, string redactedTrace) : Exception($"{originalType}: {message}")
{
    public string OriginalType { get; } = originalType;
    public override string StackTrace { get; } = redactedTrace;
}

/// <summary>An assertion failure whose message or trace had to be redacted; NUnit still reports it as a failure.</summary>
public sealed class RedactedAssertionException(string message, string redactedTrace) : NUnit.Framework.AssertionException(message)
{
    public override string StackTrace { get; } = redactedTrace;
}
