using System.Text.Json;
using System.Text.RegularExpressions;

namespace DigitalInsurance.Conformance.Detection.Table;

/// <summary>
/// faults.json: for each sandbox fault switch, how to run the conformance suite with it on and which scenarios must then
/// fail, naming which rule. The one place that declares what "detected" means for every fault.
/// </summary>
/// <param name="CleanRuns">How many times the clean sandbox runs every scenario.</param>
/// <param name="RunTimeout">Default bound within which each conformance run must end by itself.</param>
/// <param name="Environment">Environment of every run, clean ones included (a row's own environment wins).</param>
/// <param name="Variations">Conformant variations (issue #13): runs against which no scenario may fail.</param>
public sealed partial record DetectionTable(
    int CleanRuns,
    TimeSpan RunTimeout,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, FaultRow> Faults,
    IReadOnlyDictionary<string, VariationRow>? Variations = null)
{
    /// <summary>The "variations" rows, none when the table has no such section.</summary>
    public IReadOnlyDictionary<string, VariationRow> VariationRows => Variations ?? new Dictionary<string, VariationRow>();

    public const string FileName = "faults.json";

    /// <summary>faults.json next to this project's sources (read from the repository, so editing it needs no rebuild).</summary>
    public static string DefaultPath => Path.Combine(Repository.DetectionProjectFolder, FileName);

    public static DetectionTable Load(string path)
    {
        if (!File.Exists(path)) throw new DetectionTableException($"{path} does not exist: the detection table is missing.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new DetectionTableException($"{path} is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            string[] known = ["about", "cleanRuns", "runTimeoutSeconds", "environment", "faults", "variations"];
            var unknown = root.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n)).ToList();
            if (unknown.Count > 0)
                throw new DetectionTableException($"{path}: unknown top-level field(s) {string.Join(", ", unknown)}; known fields: {string.Join(", ", known)}.");
            var cleanRuns = OptionalInt(root, "cleanRuns", "(top level)") ?? 5;
            var runTimeout = TimeSpan.FromSeconds(OptionalInt(root, "runTimeoutSeconds", "(top level)") ?? 900);
            if (!root.TryGetProperty("faults", out var faults) || faults.ValueKind != JsonValueKind.Object)
                throw new DetectionTableException($"{path}: \"faults\" must be an object with one property per fault switch.");

            var environment = ReadEnvironment(root, "(top level)");
            var rows = new Dictionary<string, FaultRow>(StringComparer.Ordinal);
            foreach (var fault in faults.EnumerateObject())
                rows[fault.Name] = ReadRow(fault.Name, fault.Value, runTimeout, environment);
            return new DetectionTable(cleanRuns, runTimeout, environment, rows, ReadVariations(root, path, runTimeout, environment));
        }
    }

    private static FaultRow ReadRow(string fault, JsonElement row, TimeSpan defaultTimeout, IReadOnlyDictionary<string, string> tableEnvironment)
    {
        var where = $"faults.{fault}";
        if (row.ValueKind != JsonValueKind.Object) throw new DetectionTableException($"{where} must be an object.");
        var known = new[] { "filter", "environment", "runTimeoutSeconds", "mustFail", "notYetDetected", "why" };
        var unknown = row.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
            throw new DetectionTableException($"{where}: unknown field(s) {string.Join(", ", unknown)}; known fields: {string.Join(", ", known)}.");

        var environment = new Dictionary<string, string>(tableEnvironment, StringComparer.Ordinal);
        foreach (var (name, value) in ReadEnvironment(row, where)) environment[name] = value;

        var notYetDetected = OptionalString(row, "notYetDetected", where);
        var expectations = new List<FailureExpectation>();
        if (row.TryGetProperty("mustFail", out var mustFail))
        {
            if (mustFail.ValueKind != JsonValueKind.Array) throw new DetectionTableException($"{where}.mustFail must be an array.");
            var index = 0;
            foreach (var entry in mustFail.EnumerateArray())
                expectations.Add(ReadExpectation(entry, $"{where}.mustFail[{index++}]"));
        }
        if (expectations.Count == 0 && notYetDetected is null)
            throw new DetectionTableException(
                $"{where} names no scenario that must fail: add \"mustFail\" entries, or \"notYetDetected\" with the reason no scenario detects it yet.");
        if (expectations.Count > 0 && notYetDetected is not null)
            throw new DetectionTableException($"{where} has both \"mustFail\" and \"notYetDetected\": remove \"notYetDetected\" once scenarios detect the fault.");

        return new FaultRow(
            fault,
            OptionalString(row, "filter", where),
            environment,
            OptionalInt(row, "runTimeoutSeconds", where) is { } seconds ? TimeSpan.FromSeconds(seconds) : defaultTimeout,
            expectations,
            notYetDetected,
            OptionalString(row, "why", where));
    }

    private static Dictionary<string, VariationRow> ReadVariations(JsonElement root, string path, TimeSpan defaultTimeout, IReadOnlyDictionary<string, string> tableEnvironment)
    {
        var rows = new Dictionary<string, VariationRow>(StringComparer.Ordinal);
        if (!root.TryGetProperty("variations", out var variations)) return rows;
        if (variations.ValueKind != JsonValueKind.Object)
            throw new DetectionTableException($"{path}: \"variations\" must be an object with one property per variation or \"+\"-joined group of variations.");
        foreach (var entry in variations.EnumerateObject())
            rows[entry.Name] = ReadVariationRow(entry.Name, entry.Value, defaultTimeout, tableEnvironment);
        return rows;
    }

    private static VariationRow ReadVariationRow(string key, JsonElement row, TimeSpan defaultTimeout, IReadOnlyDictionary<string, string> tableEnvironment)
    {
        var where = $"variations.{key}";
        if (row.ValueKind != JsonValueKind.Object) throw new DetectionTableException($"{where} must be an object.");
        string[] known = ["why", "filter", "environment", "runTimeoutSeconds", "mayBeSkipped"];
        var unknown = row.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
            throw new DetectionTableException($"{where}: unknown field(s) {string.Join(", ", unknown)}; known fields: {string.Join(", ", known)}.");

        var ownEnvironment = ReadEnvironment(row, where);
        var isEnvironmentOnly = key.StartsWith(VariationRow.EnvironmentOnlyPrefix, StringComparison.Ordinal);
        var names = isEnvironmentOnly ? [] : key.Split('+', StringSplitOptions.TrimEntries);
        if (isEnvironmentOnly ? ownEnvironment.Count == 0 : names.Any(n => !VariationName().IsMatch(n)))
            throw new DetectionTableException(isEnvironmentOnly
                ? $"{where}: an entry named \"{VariationRow.EnvironmentOnlyPrefix}…\" runs the clean sandbox under other settings and must set \"environment\"."
                : $"{where}: the key must be a variation name (kebab-case) or several joined with \"+\", e.g. \"cost-as-extension+searchset-outcome-entry\".");
        var why = OptionalString(row, "why", where)
                  ?? throw new DetectionTableException($"{where}.why is required: the spec text that allows the variation, so the reader sees why no scenario may fail.");

        var environment = new Dictionary<string, string>(tableEnvironment, StringComparer.Ordinal);
        foreach (var (name, value) in ownEnvironment) environment[name] = value;

        var skips = new List<SkipAllowance>();
        if (row.TryGetProperty("mayBeSkipped", out var mayBeSkipped))
        {
            if (mayBeSkipped.ValueKind != JsonValueKind.Array) throw new DetectionTableException($"{where}.mayBeSkipped must be an array.");
            var index = 0;
            foreach (var skip in mayBeSkipped.EnumerateArray())
                skips.Add(ReadSkipAllowance(skip, $"{where}.mayBeSkipped[{index++}]"));
        }

        return new VariationRow(
            key,
            names,
            why,
            OptionalString(row, "filter", where),
            environment,
            OptionalInt(row, "runTimeoutSeconds", where) is { } seconds ? TimeSpan.FromSeconds(seconds) : defaultTimeout,
            skips);
    }

    private static SkipAllowance ReadSkipAllowance(JsonElement entry, string where)
    {
        if (entry.ValueKind != JsonValueKind.Object) throw new DetectionTableException($"{where} must be an object.");
        string[] known = ["scenarios", "title", "reason"];
        var unknown = entry.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
            throw new DetectionTableException($"{where}: unknown field(s) {string.Join(", ", unknown)}; known fields: {string.Join(", ", known)}.");
        var selector = OptionalString(entry, "scenarios", where)
                       ?? throw new DetectionTableException($"{where}.scenarios is required: the tag(s) of the scenarios that may be skipped, e.g. \"req:c4dic-must-support\".");
        var categories = ReadSelector(selector, where);
        var reason = OptionalRegex(entry, "reason", where)
                     ?? throw new DetectionTableException($"{where}.reason is required: a regular expression the skip reason must match, so a skip for another reason is caught.");
        return new SkipAllowance(new FailureExpectation(selector, categories, [], null, OptionalRegex(entry, "title", where)), reason);
    }

    private static string[] ReadSelector(string selector, string where)
    {
        var categories = selector.Split('&', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (categories.Length == 0 || categories.Any(c => c.TrimStart('!').StartsWith('@') || c.TrimStart('!').Length == 0) || categories.All(c => c.StartsWith('!')))
            throw new DetectionTableException($"{where}.scenarios \"{selector}\" must be tags without '@', joined by '&', at least one of them not excluded with '!'.");
        return categories;
    }

    private static Dictionary<string, string> ReadEnvironment(JsonElement element, string where)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!element.TryGetProperty("environment", out var env)) return environment;
        if (env.ValueKind != JsonValueKind.Object) throw new DetectionTableException($"{where}.environment must be an object of strings.");
        foreach (var variable in env.EnumerateObject())
        {
            if (variable.Value.ValueKind != JsonValueKind.String)
                throw new DetectionTableException($"{where}.environment.{variable.Name} must be a string.");
            if (variable.Name is "DIC_SANDBOX_FAULTS" or "DIC_SANDBOX_VARIATIONS" or "DIC_TARGET")
                throw new DetectionTableException($"{where}.environment must not set {variable.Name}: the detection suite sets it.");
            environment[variable.Name] = variable.Value.GetString()!;
        }
        return environment;
    }

    private static FailureExpectation ReadExpectation(JsonElement entry, string where)
    {
        if (entry.ValueKind != JsonValueKind.Object) throw new DetectionTableException($"{where} must be an object.");
        string[] known = ["scenarios", "title", "rules", "message"];
        var unknown = entry.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
            throw new DetectionTableException($"{where}: unknown field(s) {string.Join(", ", unknown)}; known fields: {string.Join(", ", known)}.");
        var selector = OptionalString(entry, "scenarios", where)
                       ?? throw new DetectionTableException($"{where}.scenarios is required: the tag(s) of the scenarios that must fail, e.g. \"req:c4dic-coverage-beneficiary\" or \"fhir&patient\".");
        var categories = ReadSelector(selector, where);

        var rules = new List<string>();
        if (entry.TryGetProperty("rules", out var rulesElement))
        {
            if (rulesElement.ValueKind != JsonValueKind.Array || rulesElement.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
                throw new DetectionTableException($"{where}.rules must be an array of requirement ids.");
            rules.AddRange(rulesElement.EnumerateArray().Select(r => r.GetString()!));
        }
        else if (categories.Where(c => c.StartsWith(FailureExpectation.RequirementPrefix, StringComparison.Ordinal)).ToList() is [var requirement])
        {
            rules.Add(requirement[FailureExpectation.RequirementPrefix.Length..]);
        }
        if (rules.Count == 0 || rules.Any(r => !RequirementId().IsMatch(r)))
            throw new DetectionTableException(
                $"{where}.rules must list the requirement id(s) the failure message names (kebab-case, without brackets; \"c4dic-search-*\" for a family); it may be left out when scenarios names exactly one \"req:<id>\" tag.");

        return new FailureExpectation(selector, categories, rules, OptionalRegex(entry, "message", where), OptionalRegex(entry, "title", where));
    }

    private static Regex? OptionalRegex(JsonElement element, string name, string where)
    {
        if (OptionalString(element, name, where) is not { } pattern) return null;
        try { return new Regex(pattern, RegexOptions.CultureInvariant); }
        catch (ArgumentException e) { throw new DetectionTableException($"{where}.{name} is not a valid regular expression: {e.Message}"); }
    }

    private static string? OptionalString(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            throw new DetectionTableException($"{where}.{name} must be a non-empty string.");
        return value.GetString();
    }

    private static int? OptionalInt(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number <= 0)
            throw new DetectionTableException($"{where}: {name} must be a positive whole number.");
        return number;
    }

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*(-\*)?$")]
    private static partial Regex RequirementId();

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex VariationName();
}

/// <summary>
/// One entry of "variations": the conformance suite against the sandbox with <see cref="Names"/> switched on together
/// (none for an environment-only entry, e.g. another IG version) and <see cref="Environment"/> set. No scenario may
/// fail; a scenario may be skipped only when one of <see cref="MayBeSkipped"/> selects it and its reason matches.
/// </summary>
/// <param name="Key">The entry's name in the table: a variation, "+"-joined variations, or "environment-…".</param>
/// <param name="Why">The spec text that allows the variation.</param>
public sealed record VariationRow(
    string Key,
    IReadOnlyList<string> Names,
    string Why,
    string? Filter,
    IReadOnlyDictionary<string, string> Environment,
    TimeSpan RunTimeout,
    IReadOnlyList<SkipAllowance> MayBeSkipped)
{
    /// <summary>An entry whose key starts with this switches no variation on: the clean sandbox under its environment.</summary>
    public const string EnvironmentOnlyPrefix = "environment-";

    /// <summary>The value of DIC_SANDBOX_VARIATIONS for the run.</summary>
    public string SandboxVariations => string.Join(",", Names);
}

/// <summary>Scenarios <see cref="Scenarios"/> selects may be skipped under a variation, when the skip reason matches <see cref="Reason"/>.</summary>
public sealed record SkipAllowance(FailureExpectation Scenarios, Regex Reason)
{
    public bool Allows(IReadOnlyCollection<string> categories, string title, string? reason) =>
        Scenarios.Selects(categories, title) && reason is not null && Reason.IsMatch(reason);

    public string Describe() => $"{Scenarios.Selector}" + (Scenarios.Title is null ? "" : $" titled /{Scenarios.Title}/") + $" with a reason matching /{Reason}/";
}

/// <summary>One fault switch: how its conformance run is started and what must fail in it.</summary>
/// <param name="Filter">The conformance run's <c>dotnet test --filter</c>; null runs every scenario.</param>
/// <param name="Environment">Environment for the run: the table's, then the row's (e.g. a lower DIC_HTTP_TIMEOUT_SECONDS).</param>
/// <param name="RunTimeout">The run must end by itself within this bound.</param>
/// <param name="NotYetDetected">Why no scenario detects the fault yet; the fault is then reported, not run.</param>
/// <param name="Why">Why the filter or expectations are what they are, for the reader of the table.</param>
public sealed record FaultRow(
    string Fault,
    string? Filter,
    IReadOnlyDictionary<string, string> Environment,
    TimeSpan RunTimeout,
    IReadOnlyList<FailureExpectation> MustFail,
    string? NotYetDetected,
    string? Why);

/// <summary>
/// Every scenario carrying all of <see cref="Categories"/> (Gherkin tags, as in <c>--filter TestCategory=</c>; "!tag": not
/// carrying it) must fail
/// with a message naming one of <see cref="Rules"/> as "[rule]" and, when given, matching <see cref="Message"/>.
/// <see cref="Title"/> narrows the selection to titles matching it: for outline rows, which share their tags.
/// </summary>
public sealed partial record FailureExpectation(string Selector, IReadOnlyList<string> Categories, IReadOnlyList<string> Rules, Regex? Message, Regex? Title = null)
{
    public const string RequirementPrefix = "req:";

    /// <summary>Carries every tag of the selector and none of its "!tag" exclusions, and has a title matching <see cref="Title"/> if given.</summary>
    public bool Selects(IReadOnlyCollection<string> scenarioCategories, string scenarioTitle) =>
        Categories.All(c => c.StartsWith('!') ? !scenarioCategories.Contains(c[1..]) : scenarioCategories.Contains(c))
        && (Title is null || Title.IsMatch(scenarioTitle));

    public bool IsSatisfiedBy(string? failureMessage) => NamedRule(failureMessage) is not null;

    /// <summary>The first "[rule]" in the message that is one of <see cref="Rules"/> (a rule ending in "-*" covers a family), when the message also matches <see cref="Message"/>.</summary>
    public string? NamedRule(string? failureMessage)
    {
        if (failureMessage is null || (Message is not null && !Message.IsMatch(failureMessage))) return null;
        return NamedRequirement().Matches(failureMessage).Select(m => m.Groups[1].Value).FirstOrDefault(named => Rules.Any(rule =>
            rule.EndsWith('*') ? named.StartsWith(rule[..^1], StringComparison.Ordinal) : named == rule));
    }

    public string Describe() =>
        $"[{string.Join("] or [", Rules)}]" + (Message is null ? "" : $" and /{Message}/");

    [GeneratedRegex(@"\[([a-z0-9]+(?:-[a-z0-9]+)*)\]")]
    private static partial Regex NamedRequirement();
}

/// <summary>faults.json is missing or malformed; the message names the field and what it must be.</summary>
public sealed class DetectionTableException(string message) : Exception(message);
