using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using DigitalInsurance.Conformance.Support.Configuration;

namespace DigitalInsurance.Conformance.Support.Members;

/// <summary>A member the @per-member scenarios run for: the five enrollment attributes and the label results show for them.</summary>
/// <param name="Label">The Allure parameter "member" and the test name's suffix; never the email address.</param>
public sealed record MemberUnderTest(string Label, MemberSettings Attributes);

/// <summary>
/// The members under test, from the file the <c>membersFile</c> setting names (JSON or CSV, see support/members/README.md).
/// Without the setting there is no roster: @per-member scenarios run once, for the member settings (Test Member 1 by
/// default). Every member's flow enrolls with its own email address from the memberEmail template, so the file holds
/// no email addresses.
/// </summary>
public static class MemberRoster
{
    public const string SettingName = "membersFile";
    public const string EnvironmentVariable = "DIC_MEMBERS_FILE";
    private static readonly string[] Columns = ["label", "firstName", "lastName", "birthdate", "memberId", "postalCode"];

    /// <summary>The members listed in <paramref name="path"/>, each with the email template of <paramref name="template"/>.</summary>
    /// <exception cref="SettingsException">The file is missing, unreadable, empty, or a member lacks an attribute.</exception>
    public static IReadOnlyList<MemberUnderTest> Load(string path, MemberSettings template)
    {
        if (!File.Exists(path))
            throw Problem(path, "does not exist", "point it at a JSON or CSV file of members");
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Problem(path, $"cannot be read ({e.Message})", "check the path and its permissions"); }

        var rows = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ReadCsv(path, text) : ReadJson(path, text);
        if (rows.Count == 0)
            throw Problem(path, "lists no member", "add at least one member or unset the setting");

        var members = new List<MemberUnderTest>(rows.Count);
        var labels = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            string Required(string column) => row.TryGetValue(column, out var value) && !string.IsNullOrWhiteSpace(value)
                ? value.Trim()
                : throw Problem(path, $"has no {column} for member {i + 1}", $"give every member {string.Join(", ", Columns.Skip(1))}");

            var birthdate = Required("birthdate");
            if (!DateOnly.TryParseExact(birthdate, "MM/dd/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                throw Problem(path, $"has birthdate '{birthdate}' for member {i + 1}", "write birth dates MM/DD/YYYY, as the enrollment form asks (e.g. 01/01/1986)");
            var attributes = template with
            {
                FirstName = Required("firstName"),
                LastName = Required("lastName"),
                Birthdate = birthdate,
                MemberId = Required("memberId"),
                PostalCode = Required("postalCode"),
            };
            var label = row.TryGetValue("label", out var given) && !string.IsNullOrWhiteSpace(given) ? given.Trim() : $"{attributes.FirstName} {attributes.LastName}";
            if (!labels.Add(label))
                throw Problem(path, $"labels two members '{label}'", "give each member a distinct label (or distinct names)");
            members.Add(new MemberUnderTest(label, attributes));
        }
        return members;
    }

    /// <summary>
    /// The labels of the roster the settings name, read while scenarios are discovered (environment first, then the
    /// runsettings parameter); null when there is none or it cannot be read — the run's start then reports why.
    /// </summary>
    internal static IReadOnlyList<string>? LabelsForDiscovery(string? configuredPath, string outputFolder)
    {
        if (string.IsNullOrWhiteSpace(configuredPath)) return null;
        try
        {
            return Load(Resolve(configuredPath, outputFolder), new MemberSettings()).Select(m => m.Label).ToList();
        }
        catch (SettingsException)
        {
            return null;
        }
    }

    /// <summary>Relative paths are taken under the test output folder when the file is there, else from the working directory.</summary>
    public static string Resolve(string path, string outputFolder)
    {
        if (Path.IsPathRooted(path)) return path;
        var underOutput = Path.Combine(outputFolder, path);
        return File.Exists(underOutput) ? underOutput : Path.GetFullPath(path);
    }

    private static List<Dictionary<string, string?>> ReadJson(string path, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var list = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("members", out var members)
                ? members
                : document.RootElement;
            if (list.ValueKind != JsonValueKind.Array)
                throw Problem(path, "is neither a JSON array of members nor an object with a \"members\" array", "see support/members/README.md");
            return list.EnumerateArray().Select(member => member.ValueKind == JsonValueKind.Object
                    ? member.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText(), StringComparer.OrdinalIgnoreCase)
                    : throw Problem(path, "lists a member that is not a JSON object", "write each member as {\"firstName\": …, \"lastName\": …}"))
                .ToList();
        }
        catch (JsonException e)
        {
            throw Problem(path, $"is not valid JSON ({e.Message})", "fix the file, or name it .csv if it is CSV");
        }
    }

    /// <summary>
    /// RFC 4180 CSV: a header line naming the columns (any order, case-insensitive), then one member per line; values
    /// with commas, quotes or line breaks are quoted ("Shaw, Amy"; a quote inside is doubled); # lines are comments.
    /// </summary>
    private static List<Dictionary<string, string?>> ReadCsv(string path, string text)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            AllowComments = true,
            Comment = '#',
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.Trim | TrimOptions.InsideQuotes,
        };
        try
        {
            using var csv = new CsvReader(new StringReader(text), configuration);
            if (!csv.Read()) return [];
            csv.ReadHeader();
            var header = csv.HeaderRecord ?? [];
            var unknown = header.Where(h => !Columns.Contains(h, StringComparer.OrdinalIgnoreCase)).ToList();
            if (unknown.Count > 0)
                throw Problem(path, $"has unknown column(s) {string.Join(", ", unknown)} in its header line", $"use the columns {string.Join(", ", Columns)}");

            var rows = new List<Dictionary<string, string?>>();
            while (csv.Read())
            {
                if (csv.Parser.Count != header.Length)
                    throw Problem(path, $"has {csv.Parser.Count} values on line {csv.Parser.RawRow} but {header.Length} columns",
                        $"give every line one value per column; {QuotingFix}");
                rows.Add(header.Select((column, index) => (column, value: csv.GetField(index)))
                    .ToDictionary(c => c.column, c => c.value, StringComparer.OrdinalIgnoreCase));
            }
            return rows;
        }
        catch (CsvHelperException e) when (e is BadDataException or ParserException or ReaderException)
        {
            throw Problem(path, $"is not valid CSV near line {e.Context?.Parser?.RawRow} ({FirstLine(e.Message)})",
                QuotingFix);
        }

        static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
    }

    private const string QuotingFix = "quote values that contain commas or quotes (\"Shaw, Amy\"), and double a quote inside a quoted value";

    private static SettingsException Problem(string path, string what, string fix) =>
        new($"Setting '{SettingName}': the members file '{path}' {what}: {fix}. Fix the file, or runsettings parameter '{SettingName}' / environment variable {EnvironmentVariable}.");
}
