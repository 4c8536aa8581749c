using System.Collections.Specialized;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gherkin;
using Gherkin.CucumberMessages;
using Gherkin.CucumberMessages.Pickles;
using Io.Cucumber.Messages.Types;
using Reqnroll;
using Reqnroll.Formatters.RuntimeSupport;
using Reqnroll.Parser;
using Table = Reqnroll.Table;
using TableRow = Io.Cucumber.Messages.Types.TableRow;
using StepKeywordType = Io.Cucumber.Messages.Types.StepKeywordType;
using Exception = System.Exception;

namespace DigitalInsurance.Conformance.Support.Runner;

/// <summary>
/// Reads <c>features/**/*.feature</c> from the test output folder at run time and turns each file into a
/// <see cref="FeatureDefinition"/>: Gherkin AST → Cucumber messages → pickles (outline rows expanded, Backgrounds
/// prepended, parameters substituted), with test identifiers that survive the VSTest → NUnit filter conversion.
/// </summary>
internal static class FeatureCatalog
{
    public const string FeaturesFolder = "features";
    private const string DefaultFeatureLanguage = "en-US";

    /// <summary>The features, with @per-member scenarios multiplied by the members file the settings name (if any).</summary>
    public static CatalogContents Load(string outputFolder) => Load(outputFolder, HarnessWiring.MembersForDiscovery(outputFolder));

    /// <param name="members">The roster's member labels: @per-member scenarios get one pickle per member (<see cref="PerMemberPickles"/>); null: none.</param>
    public static CatalogContents Load(string outputFolder, IReadOnlyList<string>? members)
    {
        var featuresRoot = Path.Combine(outputFolder, FeaturesFolder);
        if (!Directory.Exists(featuresRoot))
            return new CatalogContents([], [new UnreadableFeature(FeaturesFolder,
                $"No '{FeaturesFolder}' folder next to the test assembly ({outputFolder}). Feature files must be copied to the output (CopyToOutputDirectory).")]);

        var language = ReadFeatureLanguage(outputFolder);
        var featureIdentifiers = new UniqueNames();
        var features = new List<FeatureDefinition>();
        var unreadable = new List<UnreadableFeature>();

        var files = Directory.EnumerateFiles(featuresRoot, "*.feature", SearchOption.AllDirectories)
            .Select(path => (Path: path, Relative: Path.GetRelativePath(outputFolder, path).Replace('\\', '/')))
            .OrderBy(file => file.Relative, StringComparer.Ordinal);

        foreach (var file in files)
        {
            try
            {
                var feature = Parse(file.Relative, File.ReadAllText(file.Path), language, featureIdentifiers, members);
                if (feature is null)
                    unreadable.Add(new UnreadableFeature(file.Relative, $"{file.Relative} contains no 'Feature:'."));
                else
                    features.Add(feature);
            }
            catch (Exception e) when (e is ParserException or CompositeParserException)
            {
                unreadable.Add(new UnreadableFeature(file.Relative, $"{file.Relative} is not valid Gherkin: {e.Message}"));
            }
        }

        if (features.Count == 0 && unreadable.Count == 0)
            unreadable.Add(new UnreadableFeature(FeaturesFolder, $"No *.feature files under {featuresRoot}."));

        return new CatalogContents(features, unreadable);
    }

    private static FeatureDefinition? Parse(string relativePath, string text, string defaultLanguage, UniqueNames featureIdentifiers, IReadOnlyList<string>? members)
    {
        var dialects = new ReqnrollGherkinDialectProvider(defaultLanguage);
        var ast = new Parser().Parse(new TokenScanner(new StringReader(text)), new TokenMatcher(dialects));
        if (ast.Feature is null)
            return null;

        var identifier = featureIdentifiers.Claim(Naming.ToIdentifier(ast.Feature.Name));
        // Gherkin's ids restart for every document; the prefix keeps them unique across features in one report.
        var ids = new PrefixedIdGenerator(identifier);
        var document = new AstMessagesConverter(ids).ConvertGherkinDocumentToEventArgs(ast, relativePath);
        var perMember = PerMemberPickles.Expand(new PickleCompiler(ids).Compile(document), members);
        var pickles = perMember.Select(p => p.Pickle).ToList();
        var messages = new FeatureMessages(new Source(relativePath, text, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN), document, pickles);

        var feature = document.Feature;
        var featureTags = TagNames(feature.Tags);
        var info = new FeatureInfo(
            ToCulture(feature.Language, defaultLanguage),
            Path.GetDirectoryName(relativePath)?.Replace('\\', '/') ?? "",
            feature.Name,
            feature.Description,
            ProgrammingLanguage.CSharp,
            featureTags,
            messages);

        var dialect = dialects.GetDialect(feature.Language, null);
        var nodes = new AstIndex(document);
        var scenarioIdentifiers = new UniqueNames();
        var scenarios = new List<ScenarioDefinition>(pickles.Count);
        var rowNames = nodes.OutlineRowNames();
        for (var index = 0; index < pickles.Count; index++)
            scenarios.Add(DescribeScenario(pickles[index], index, nodes, rowNames, scenarioIdentifiers, dialect, perMember[index].Member));

        return new FeatureDefinition(relativePath, identifier, feature.Name, info, messages, scenarios);
    }

    private static ScenarioDefinition DescribeScenario(Pickle pickle, int pickleIndex, AstIndex nodes,
        IReadOnlyDictionary<string, string> rowNames, UniqueNames scenarioIdentifiers, GherkinDialect dialect, string? member)
    {
        var scenario = nodes.Scenarios[pickle.AstNodeIds[0]];
        var rule = nodes.RuleOf.GetValueOrDefault(scenario.Id);
        var row = pickle.AstNodeIds.Count > 1 ? nodes.Rows[pickle.AstNodeIds[1]] : null;

        var baseName = Naming.ToIdentifier(scenario.Name);
        var identifier = scenarioIdentifiers.Claim((row is null ? baseName : $"{baseName}_{rowNames[row.Row.Id]}")
            + (member is null ? "" : $"_{PerMemberPickles.ArgumentName}_{Naming.ToIdentifier(member).TrimStart('_')}"));

        // Reqnroll's split: scenario (+ examples) tags on the scenario, feature + rule tags as inherited.
        var ownTags = TagNames(scenario.Tags.Concat(row?.Examples.Tags ?? []));
        var arguments = new OrderedDictionary();
        if (row is not null)
            for (var column = 0; column < row.Examples.TableHeader.Cells.Count; column++)
                arguments[row.Examples.TableHeader.Cells[column].Value] = row.Row.Cells[column].Value;

        if (member is not null) arguments[PerMemberPickles.ArgumentName] = member;

        var description = arguments.Count == 0
            ? pickle.Name
            : $"{pickle.Name} [{string.Join(", ", arguments.Cast<System.Collections.DictionaryEntry>().Select(a => $"{a.Key}={a.Value}"))}]";

        var categories = pickle.Tags.Select(t => t.Name.TrimStart('@')).Distinct(StringComparer.Ordinal).ToArray();
        var ignoreTag = categories.FirstOrDefault(Naming.IsIgnoreTag);

        return new ScenarioDefinition(
            pickleIndex,
            identifier,
            description,
            categories.Where(c => !Naming.IsIgnoreTag(c)).ToArray(),
            ignoreTag is null ? null : $"Ignored by the @{ignoreTag} tag",
            scenario.Name,
            scenario.Description,
            ownTags,
            arguments,
            rule is null ? null : new RuleInfo(rule.Name, rule.Description, TagNames(rule.Tags)),
            pickle.Steps.Select(step => StepCall.From(step, nodes.Steps[step.AstNodeIds[0]], dialect)).ToArray());
    }

    private static string[] TagNames(IEnumerable<Tag> tags) => tags.Select(t => t.Name.TrimStart('@')).ToArray();

    private static CultureInfo ToCulture(string? language, string fallback)
    {
        try { return CultureInfo.GetCultureInfo(string.IsNullOrEmpty(language) ? fallback : language); }
        catch (CultureNotFoundException) { return CultureInfo.GetCultureInfo(fallback); }
    }

    /// <summary>The feature language from reqnroll.json (<c>language.feature</c>), as Reqnroll's generator would use it.</summary>
    private static string ReadFeatureLanguage(string outputFolder)
    {
        var path = Path.Combine(outputFolder, "reqnroll.json");
        if (!File.Exists(path))
            return DefaultFeatureLanguage;
        using var json = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return json.RootElement.TryGetProperty("language", out var language)
               && language.TryGetProperty("feature", out var feature)
               && feature.ValueKind == JsonValueKind.String
            ? feature.GetString()!
            : DefaultFeatureLanguage;
    }

    /// <summary>Lookup of AST nodes by id: pickles and pickle steps only carry ids.</summary>
    private sealed class AstIndex
    {
        public Dictionary<string, Scenario> Scenarios { get; } = [];
        public Dictionary<string, Rule> RuleOf { get; } = [];
        public Dictionary<string, Step> Steps { get; } = [];
        public Dictionary<string, ExampleRow> Rows { get; } = [];

        public AstIndex(GherkinDocument document)
        {
            foreach (var child in document.Feature.Children)
            {
                Add(child.Background, child.Scenario, rule: null);
                if (child.Rule is null) continue;
                foreach (var ruleChild in child.Rule.Children)
                    Add(ruleChild.Background, ruleChild.Scenario, child.Rule);
            }
        }

        private void Add(Background? background, Scenario? scenario, Rule? rule)
        {
            foreach (var step in background?.Steps ?? [])
                Steps[step.Id] = step;
            if (scenario is null) return;
            Scenarios[scenario.Id] = scenario;
            if (rule is not null) RuleOf[scenario.Id] = rule;
            foreach (var step in scenario.Steps)
                Steps[step.Id] = step;
            foreach (var examples in scenario.Examples)
            foreach (var row in examples.TableBody)
                Rows[row.Id] = new ExampleRow(row, examples);
        }

        /// <summary>
        /// Per outline: the row's example values as an identifier when that is short and unique within the
        /// outline, otherwise <c>row1</c>, <c>row2</c>, … for every row of that outline.
        /// </summary>
        public IReadOnlyDictionary<string, string> OutlineRowNames()
        {
            var names = new Dictionary<string, string>();
            foreach (var outline in Scenarios.Values.Where(s => s.Examples.Count > 0))
            {
                var rows = outline.Examples.SelectMany(e => e.TableBody).ToList();
                var byValues = rows.Select(r => Naming.ToIdentifier(string.Join(" ", r.Cells.Select(c => c.Value)))).ToList();
                var useValues = byValues.All(n => n.Length is > 0 and <= Naming.MaxRowNameLength && n != "_")
                                && byValues.Distinct(StringComparer.Ordinal).Count() == rows.Count;
                for (var i = 0; i < rows.Count; i++)
                    names[rows[i].Id] = useValues ? byValues[i].TrimStart('_') : $"row{i + 1}";
            }
            return names;
        }
    }

    private sealed record ExampleRow(TableRow Row, Examples Examples);

    private sealed class PrefixedIdGenerator(string prefix) : IIdGenerator
    {
        private int _next;
        public string GetNewId() => $"{prefix}-{_next++}";
    }

    private sealed class UniqueNames
    {
        private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

        public string Claim(string name)
        {
            var candidate = name;
            for (var n = 2; !_taken.Add(candidate); n++)
                candidate = $"{name}_{n}";
            return candidate;
        }
    }
}

internal sealed record CatalogContents(IReadOnlyList<FeatureDefinition> Features, IReadOnlyList<UnreadableFeature> Unreadable);

/// <summary>A feature file that produced no tests, with the one-line reason the user sees.</summary>
internal sealed record UnreadableFeature(string RelativePath, string Reason);

/// <summary>What Reqnroll's formatters need to list the feature's scenarios and steps (html, message).</summary>
internal sealed class FeatureMessages(Source source, GherkinDocument document, IReadOnlyList<Pickle> pickles) : IFeatureLevelCucumberMessages
{
    public bool HasMessages => true;
    public Source Source { get; } = source;
    public GherkinDocument GherkinDocument { get; } = document;
    public IEnumerable<Pickle> Pickles { get; } = pickles;
}

/// <summary>One feature file: becomes one NUnit fixture. Reqnroll compares <see cref="Info"/> by reference, so there is exactly one per feature.</summary>
public sealed class FeatureDefinition
{
    internal FeatureDefinition(string relativePath, string identifier, string title, FeatureInfo info, FeatureMessages messages,
        IReadOnlyList<ScenarioDefinition> scenarios)
    {
        RelativePath = relativePath;
        Identifier = identifier;
        Title = title;
        Info = info;
        Messages = messages;
        Scenarios = scenarios;
    }

    internal string RelativePath { get; }
    internal string Identifier { get; }
    internal string Title { get; }
    internal FeatureInfo Info { get; }
    internal FeatureMessages Messages { get; }
    internal IReadOnlyList<ScenarioDefinition> Scenarios { get; }

    public override string ToString() => RelativePath;
}

/// <summary>One pickle (a scenario, or one row of an outline): becomes one NUnit test case.</summary>
public sealed class ScenarioDefinition
{
    internal ScenarioDefinition(int pickleIndex, string identifier, string description, string[] categories, string? ignoreReason,
        string title, string scenarioDescription, string[] tags, OrderedDictionary arguments, RuleInfo? rule, IReadOnlyList<StepCall> steps)
    {
        PickleIndex = pickleIndex;
        Identifier = identifier;
        Description = description;
        Categories = categories;
        IgnoreReason = ignoreReason;
        Title = title;
        ScenarioDescription = scenarioDescription;
        Tags = tags;
        Arguments = arguments;
        Rule = rule;
        Steps = steps;
    }

    internal int PickleIndex { get; }
    internal string Identifier { get; }
    internal string Description { get; }
    internal string[] Categories { get; }
    internal string? IgnoreReason { get; }
    internal string Title { get; }
    internal string ScenarioDescription { get; }
    internal string[] Tags { get; }
    internal OrderedDictionary Arguments { get; }
    internal RuleInfo? Rule { get; }
    internal IReadOnlyList<StepCall> Steps { get; }

    public override string ToString() => Identifier;
}

internal enum StepMethod { Given, When, Then, And, But }

/// <summary>One pickle step as the generated code-behind would call it: keyword method, text, doc string, table.</summary>
internal sealed record StepCall(StepMethod Method, string Keyword, string Text, string? DocString, IReadOnlyList<IReadOnlyList<string>>? TableRows)
{
    public static StepCall From(PickleStep step, Step astStep, GherkinDialect dialect) => new(
        astStep.KeywordType switch
        {
            StepKeywordType.CONTEXT => StepMethod.Given,
            StepKeywordType.ACTION => StepMethod.When,
            StepKeywordType.OUTCOME => StepMethod.Then,
            // Conjunctions and '*' continue the previous step's kind, as Reqnroll does for And/But.
            _ => dialect.ButStepKeywords.Contains(astStep.Keyword) && astStep.Keyword != GherkinDialect.AsteriskKeyword ? StepMethod.But : StepMethod.And,
        },
        astStep.Keyword,
        step.Text,
        step.Argument?.DocString?.Content,
        step.Argument?.DataTable?.Rows.Select(r => (IReadOnlyList<string>)r.Cells.Select(c => c.Value).ToArray()).ToArray());

    /// <summary>A fresh table per call: bindings may mutate the one they receive.</summary>
    public Table? CreateTable()
    {
        if (TableRows is not { Count: > 0 }) return null;
        var table = new Table(TableRows[0].ToArray());
        foreach (var row in TableRows.Skip(1))
            table.AddRow(row.ToArray());
        return table;
    }
}

internal static class Naming
{
    public const string FeatureNamespace = "DigitalInsurance.Conformance.Features";
    public const int MaxRowNameLength = 60;

    /// <summary>Letters and digits kept, every other run of characters becomes one '_': test names must not contain spaces or dots.</summary>
    public static string ToIdentifier(string text)
    {
        var builder = new StringBuilder(text.Length);
        var gap = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (gap && builder.Length > 0) builder.Append('_');
                builder.Append(c);
                gap = false;
            }
            else gap = true;
        }
        if (builder.Length == 0) return "_";
        if (char.IsDigit(builder[0])) builder.Insert(0, '_');
        return builder.ToString();
    }

    public static bool IsIgnoreTag(string tag) => tag.Equals("ignore", StringComparison.OrdinalIgnoreCase);
}
