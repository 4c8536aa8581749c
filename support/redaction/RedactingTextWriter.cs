using System.Text;

namespace DigitalInsurance.Conformance.Support.Redaction;

/// <summary>
/// A <see cref="TextWriter"/> that redacts before passing text on. Text is held per thread until a line ends (or
/// <see cref="Flush"/> is called), so a secret written in pieces ("Bearer " then the token) is still recognised, and
/// lines written by parallel tests do not interleave mid-line.
/// </summary>
public sealed class RedactingTextWriter(TextWriter inner) : TextWriter(inner.FormatProvider)
{
    /// <summary>A line longer than this is passed on without waiting for its end, so nothing is held unboundedly.</summary>
    private const int MaxPending = 64 * 1024;

    private readonly ThreadLocal<StringBuilder> _pending = new(() => new StringBuilder(), trackAllValues: true);
    private readonly Lock _gate = new();

    public TextWriter Inner { get; } = inner;

    public override Encoding Encoding => Inner.Encoding;

    public override void Write(char value)
    {
        var pending = _pending.Value!;
        pending.Append(value);
        if (value == '\n' || pending.Length >= MaxPending) Release(pending, all: value != '\n');
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        var pending = _pending.Value!;
        pending.Append(value);
        if (value.Contains('\n') || pending.Length >= MaxPending) Release(pending, all: pending.Length >= MaxPending);
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer) => Write(new string(buffer));

    public override void WriteLine(string? value) => Write((value ?? "") + NewLine);

    public override void WriteLine() => Write(NewLine);

    public override void Flush()
    {
        Release(_pending.Value!, all: true);
        lock (_gate) Inner.Flush();
    }

    /// <summary>Passes on every complete line held for the calling thread (everything, when <paramref name="all"/>).</summary>
    private void Release(StringBuilder pending, bool all)
    {
        if (pending.Length == 0) return;
        var text = pending.ToString();
        var cut = all ? text.Length : text.LastIndexOf('\n') + 1;
        if (cut <= 0) return;
        pending.Remove(0, cut);
        var redacted = Secrets.Redact(text[..cut]);
        lock (_gate) Inner.Write(redacted);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var pending in _pending.Values) Release(pending, all: true);
            lock (_gate) Inner.Flush();
            _pending.Dispose();
        }
        base.Dispose(disposing);
    }
}
