using System.IO.Compression;
using System.Text;
using DigitalInsurance.Conformance.Support.Redaction;

namespace DigitalInsurance.Conformance.Support.Browser;

/// <summary>
/// Makes a Playwright trace zip safe to attach: DOM snapshots hold typed values and the network log holds form posts
/// and redirect URLs with codes. Every text entry goes through <see cref="Secrets.Redact"/>; binary entries (fonts,
/// images the pages loaded) are kept as they are. The trace records no screencast, so no image shows a typed value.
/// </summary>
internal static class TraceRedaction
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Redact(byte[] traceZip)
    {
        using var input = new ZipArchive(new MemoryStream(traceZip), ZipArchiveMode.Read);
        var output = new MemoryStream();
        using (var redacted = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                using var source = entry.Open();
                using var buffer = new MemoryStream();
                source.CopyTo(buffer);
                var content = buffer.ToArray();
                if (TryDecodeText(content) is { } text) content = StrictUtf8.GetBytes(Secrets.Redact(text));

                var copy = redacted.CreateEntry(entry.FullName, CompressionLevel.Fastest);
                copy.LastWriteTime = entry.LastWriteTime;
                using var target = copy.Open();
                target.Write(content);
            }
        }
        return output.ToArray();
    }

    private static string? TryDecodeText(byte[] content)
    {
        if (Array.IndexOf(content, (byte)0) >= 0) return null;
        try
        {
            return StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
