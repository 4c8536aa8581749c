using System.Net;
using System.Text.RegularExpressions;

namespace DemoHealthPlan.Sandbox.Tests.Infrastructure;

/// <summary>
/// A page the sandbox served, read the way a person uses it: fields by their visible label, buttons and links by their
/// text. Parses only the sandbox's own simple markup.
/// </summary>
public sealed partial class HtmlPage(Uri url, HttpStatusCode status, string html)
{
    public Uri Url { get; } = url;
    public HttpStatusCode Status { get; } = status;
    public string Html { get; } = html;

    public string Heading => Text(H1().Match(Html).Groups[1].Value);

    /// <summary>The text of the page's error message (role="alert"), or null when there is none.</summary>
    public string? Alert => AlertPattern().Match(Html) is { Success: true } m ? Text(m.Groups[1].Value) : null;

    /// <summary>All visible text, tags removed.</summary>
    public string VisibleText => Text(Regex.Replace(Html, "<(style|script)[^>]*>.*?</\\1>", " ", RegexOptions.Singleline));

    public IReadOnlyList<HtmlForm> Forms =>
        FormPattern().Matches(Html).Select(m => new HtmlForm(Url, Attributes(m.Groups[1].Value), m.Groups[2].Value)).ToList();

    /// <summary>The form with a button showing <paramref name="buttonText"/>.</summary>
    public HtmlForm FormWithButton(string buttonText) =>
        Forms.FirstOrDefault(f => f.Buttons.Any(b => b.Text == buttonText))
        ?? throw new InvalidOperationException($"No form with a '{buttonText}' button on the page '{Heading}' ({Url}). Page text: {VisibleText}");

    /// <summary>The absolute target of the link showing <paramref name="text"/>.</summary>
    public Uri Link(string text) =>
        LinkPattern().Matches(Html).Where(m => Text(m.Groups[2].Value) == text)
            .Select(m => new Uri(Url, WebUtility.HtmlDecode(m.Groups[1].Value))).FirstOrDefault()
        ?? throw new InvalidOperationException($"No link '{text}' on the page '{Heading}' ({Url}).");

    public bool HasLink(string text) => LinkPattern().Matches(Html).Any(m => Text(m.Groups[2].Value) == text);

    internal static string Text(string markup) =>
        Regex.Replace(WebUtility.HtmlDecode(Regex.Replace(markup, "<[^>]+>", " ")), @"\s+", " ").Trim();

    internal static Dictionary<string, string> Attributes(string tag) =>
        AttributePattern().Matches(tag).ToDictionary(m => m.Groups[1].Value.ToLowerInvariant(), m => WebUtility.HtmlDecode(m.Groups[2].Value));

    public override string ToString() => $"{(int)Status} {Heading}";

    [GeneratedRegex("<h1[^>]*>(.*?)</h1>", RegexOptions.Singleline)]
    private static partial Regex H1();

    [GeneratedRegex("<[^>]+role=\"alert\"[^>]*>(.*?)</p>", RegexOptions.Singleline)]
    private static partial Regex AlertPattern();

    [GeneratedRegex("<form\\b([^>]*)>(.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<a\\s+href=\"([^\"]*)\"[^>]*>(.*?)</a>", RegexOptions.Singleline)]
    private static partial Regex LinkPattern();

    [GeneratedRegex("([a-zA-Z_:][-a-zA-Z0-9_:.]*)=\"([^\"]*)\"")]
    private static partial Regex AttributePattern();
}

/// <summary>A form on an <see cref="HtmlPage"/>; fill fields by label, then submit with a button.</summary>
public sealed partial class HtmlForm
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _inputByLabel = new(StringComparer.Ordinal);

    internal HtmlForm(Uri pageUrl, Dictionary<string, string> attributes, string body)
    {
        Action = new Uri(pageUrl, attributes.GetValueOrDefault("action") ?? pageUrl.PathAndQuery);
        Method = (attributes.GetValueOrDefault("method") ?? "get").ToUpperInvariant();
        var inputsById = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputPattern().Matches(body))
        {
            var a = HtmlPage.Attributes(input.Groups[1].Value);
            if (!a.TryGetValue("name", out var name)) continue;
            _values[name] = a.GetValueOrDefault("value") ?? "";
            if (a.TryGetValue("id", out var id)) inputsById[id] = name;
        }
        foreach (Match label in LabelPattern().Matches(body))
            if (inputsById.TryGetValue(label.Groups[1].Value, out var name))
                _inputByLabel[HtmlPage.Text(label.Groups[2].Value)] = name;
        Buttons = ButtonPattern().Matches(body)
            .Select(m => (HtmlPage.Attributes(m.Groups[1].Value), HtmlPage.Text(m.Groups[2].Value)))
            .Select(b => new HtmlButton(b.Item2, b.Item1.GetValueOrDefault("name"), b.Item1.GetValueOrDefault("value")))
            .ToList();
    }

    public Uri Action { get; }
    public string Method { get; }
    public IReadOnlyList<HtmlButton> Buttons { get; }

    /// <summary>Visible field labels, in page order.</summary>
    public IReadOnlyCollection<string> Labels => _inputByLabel.Keys;

    /// <summary>Current value of every named field (hidden ones included).</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    public string ValueOf(string label) => _values[InputFor(label)];

    public HtmlForm Fill(string label, string value)
    {
        _values[InputFor(label)] = value;
        return this;
    }

    /// <summary>Sets a field by its name, e.g. a hidden one a test tampers with.</summary>
    public HtmlForm Set(string name, string value)
    {
        _values[name] = value;
        return this;
    }

    /// <summary>The fields as the browser would send them after clicking <paramref name="buttonText"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Submission(string buttonText)
    {
        var button = Buttons.FirstOrDefault(b => b.Text == buttonText)
            ?? throw new InvalidOperationException($"The form has no '{buttonText}' button.");
        var fields = _values.ToList();
        if (button.Name is not null) fields.Add(new(button.Name, button.Value ?? ""));
        return fields;
    }

    private string InputFor(string label) => _inputByLabel.TryGetValue(label, out var name)
        ? name
        : throw new InvalidOperationException($"The form has no field labelled '{label}'. Labels: {string.Join(", ", _inputByLabel.Keys)}.");

    [GeneratedRegex("<input\\b([^>]*)>", RegexOptions.Singleline)]
    private static partial Regex InputPattern();

    [GeneratedRegex("<label\\s+for=\"([^\"]+)\"[^>]*>(.*?)</label>", RegexOptions.Singleline)]
    private static partial Regex LabelPattern();

    [GeneratedRegex("<button\\b([^>]*)>(.*?)</button>", RegexOptions.Singleline)]
    private static partial Regex ButtonPattern();
}

public sealed record HtmlButton(string Text, string? Name, string? Value);
