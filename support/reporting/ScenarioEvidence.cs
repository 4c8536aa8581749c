using System.Text;

namespace DigitalInsurance.Conformance.Support.Reporting;

/// <summary>One piece of evidence: an HTTP exchange, a validation table, a screenshot, a trace.</summary>
public sealed record EvidenceItem(string Title, string MediaType, string FileExtension, byte[] Content, DateTimeOffset RecordedAt);

/// <summary>
/// Evidence recorded while a scenario runs (scenario-scoped; Reqnroll injects it). Support code adds items as it
/// works; reporters take the items recorded since the last step ended and attach them to that step.
/// Text is redacted on the way in, so nothing added here can leak a secret.
/// </summary>
public sealed class ScenarioEvidence
{
    private readonly object _gate = new();
    private readonly List<EvidenceItem> _all = [];
    private readonly List<string> _warnings = [];
    private int _taken;

    public void AddText(string title, string mediaType, string fileExtension, string text) =>
        Add(Redaction.Secrets.Redact(title), mediaType, fileExtension, Encoding.UTF8.GetBytes(Redaction.Secrets.Redact(text)));

    /// <summary>Binary evidence (screenshots, trace zips) must already be free of secrets.</summary>
    public void Add(string title, string mediaType, string fileExtension, byte[] content)
    {
        lock (_gate) _all.Add(new EvidenceItem(title, mediaType, fileExtension, content, DateTimeOffset.UtcNow));
    }

    /// <summary>Items added since the previous call.</summary>
    public IReadOnlyList<EvidenceItem> TakeNew()
    {
        lock (_gate)
        {
            var fresh = _all.Skip(_taken).ToList();
            _taken = _all.Count;
            return fresh;
        }
    }

    public IReadOnlyList<EvidenceItem> All
    {
        get { lock (_gate) return _all.ToList(); }
    }

    /// <summary>
    /// Notes a finding that does not fail the scenario (e.g. a validator warning). A scenario that passes with
    /// warnings is reported as passed, with the warnings as its status message, so the report's
    /// "Passed with validation warnings" category lists it.
    /// </summary>
    public void AddWarning(string message)
    {
        lock (_gate) _warnings.Add(Redaction.Secrets.Redact(message));
    }

    public IReadOnlyList<string> Warnings
    {
        get { lock (_gate) return _warnings.ToList(); }
    }
}
