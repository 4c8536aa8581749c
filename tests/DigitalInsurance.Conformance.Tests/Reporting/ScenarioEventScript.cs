using System.Collections.Specialized;
using System.Globalization;
using System.Reflection;
using DigitalInsurance.Conformance.Support.Reporting;
using Reqnroll;
using Reqnroll.Bindings;
using Reqnroll.Bindings.Reflection;
using Reqnroll.BoDi;
using Reqnroll.Events;

namespace DigitalInsurance.Conformance.Tests.Reporting;

/// <summary>
/// Plays Reqnroll's execution events, in the order its TestExecutionEngine publishes them, into an Allure listener —
/// the real event types with the contexts Reqnroll would pass. Steps and hooks are lambdas that may add evidence or throw.
/// </summary>
internal sealed class ScenarioEventScript(AllureExecutionListener listener)
{
    public FeatureInfo Feature(string title, string folderPath = "features/authorize", params string[] tags) =>
        new(CultureInfo.GetCultureInfo("en-US"), folderPath, title, "", ProgrammingLanguage.CSharp, tags);

    public void StartFeature(FeatureInfo feature, Action<FakeFeatureContext>? beforeFeatureHook = null)
    {
        var context = new FakeFeatureContext(feature);
        listener.OnEvent(new FeatureStartedEvent(context));
        if (beforeFeatureHook is not null) RunHook(HookType.BeforeFeature, () => beforeFeatureHook(context));
    }

    public void FinishFeature(FeatureInfo feature, Action? afterFeatureHook = null)
    {
        if (afterFeatureHook is not null) RunHook(HookType.AfterFeature, afterFeatureHook);
        listener.OnEvent(new FeatureFinishedEvent(new FakeFeatureContext(feature)));
    }

    /// <summary>Runs a scenario the way Reqnroll does: before hooks, every step (skipped after a failure), after hooks.</summary>
    public ScenarioEvidence RunScenario(FeatureInfo feature, ScenarioSpec spec)
    {
        var featureContext = new FakeFeatureContext(feature);
        var info = new ScenarioInfo(spec.Title, spec.Description, spec.Tags, spec.ExampleRow(), feature.Tags, "0");
        var scenario = new FakeScenarioContext(info, spec.Rule);
        var evidence = scenario.ScenarioContainer.Resolve<ScenarioEvidence>();

        if (spec.Ignored)
        {
            scenario.ScenarioExecutionStatus = ScenarioExecutionStatus.Skipped;
            listener.OnEvent(new ScenarioStartedEvent(featureContext, scenario));
            listener.OnEvent(new ScenarioSkippedEvent());
            listener.OnEvent(new ScenarioFinishedEvent(featureContext, scenario));
            return evidence;
        }

        listener.OnEvent(new ScenarioStartedEvent(featureContext, scenario));
        foreach (var hook in spec.BeforeScenario)
            scenario.Fail(RunHook(HookType.BeforeScenario, () => hook(evidence)));

        foreach (var step in spec.Steps)
        {
            var stepInfo = new StepInfo(step.Type, step.Text, step.Table, step.DocString, "");
            var stepContext = new FakeStepContext(stepInfo);
            listener.OnEvent(new StepStartedEvent(featureContext, scenario, stepContext));
            if (!step.Undefined)
                stepInfo.StepInstance = new StepInstance(step.Type, step.Keyword, step.KeywordText, step.Text, step.DocString, step.Table, null);
            if (scenario.ScenarioExecutionStatus != ScenarioExecutionStatus.OK)
                stepContext.Status = ScenarioExecutionStatus.Skipped;
            else if (step.Undefined)
            {
                stepContext.Status = ScenarioExecutionStatus.UndefinedStep;
                scenario.ScenarioExecutionStatus = ScenarioExecutionStatus.UndefinedStep;
            }
            else
            {
                try
                {
                    step.Body(evidence);
                }
                catch (Exception e)
                {
                    stepContext.Status = ScenarioExecutionStatus.TestError;
                    stepContext.StepError = e;
                    scenario.Fail(e);
                }
            }
            listener.OnEvent(new StepFinishedEvent(featureContext, scenario, stepContext));
        }

        foreach (var hook in spec.AfterScenario)
            scenario.Fail(RunHook(HookType.AfterScenario, () => hook(evidence)));
        listener.OnEvent(new ScenarioFinishedEvent(featureContext, scenario));
        return evidence;
    }

    public Exception? RunHook(HookType type, Action body)
    {
        var binding = new HookBinding(new RuntimeBindingMethod(typeof(ScenarioEventScript).GetMethod(nameof(SampleHook), BindingFlags.NonPublic | BindingFlags.Static)!), type, null, 0);
        listener.OnEvent(new HookBindingStartedEvent(binding, null!));
        Exception? error = null;
        try
        {
            body();
        }
        catch (Exception e)
        {
            error = e;
        }
        listener.OnEvent(new HookBindingFinishedEvent(binding, TimeSpan.Zero, null!,
            error is null ? ScenarioExecutionStatus.OK : ScenarioExecutionStatus.TestError, error!));
        return error;
    }

    public void FinishRun() => listener.OnEvent(new TestRunFinishedEvent());

    private static void SampleHook() { }
}

internal sealed record StepSpec(StepDefinitionKeyword Keyword, string Text, Action<ScenarioEvidence> Body)
{
    public Table? Table { get; init; }
    public string? DocString { get; init; }
    public bool Undefined { get; init; }
    public StepDefinitionType Type => Keyword switch
    {
        StepDefinitionKeyword.When => StepDefinitionType.When,
        StepDefinitionKeyword.Then => StepDefinitionType.Then,
        _ => StepDefinitionType.Given,
    };
    public string KeywordText => Keyword + " ";

    public static StepSpec Given(string text, Action<ScenarioEvidence>? body = null) => new(StepDefinitionKeyword.Given, text, body ?? (_ => { }));
    public static StepSpec When(string text, Action<ScenarioEvidence>? body = null) => new(StepDefinitionKeyword.When, text, body ?? (_ => { }));
    public static StepSpec Then(string text, Action<ScenarioEvidence>? body = null) => new(StepDefinitionKeyword.Then, text, body ?? (_ => { }));
    public static StepSpec And(string text, Action<ScenarioEvidence>? body = null) => new(StepDefinitionKeyword.And, text, body ?? (_ => { }));
}

internal sealed record ScenarioSpec(string Title, params StepSpec[] Steps)
{
    public string Description { get; init; } = "";
    public string[] Tags { get; init; } = [];
    public RuleInfo? Rule { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Examples { get; init; } = [];
    public bool Ignored { get; init; }
    public List<Action<ScenarioEvidence>> BeforeScenario { get; init; } = [];
    public List<Action<ScenarioEvidence>> AfterScenario { get; init; } = [];

    public OrderedDictionary ExampleRow()
    {
        var row = new OrderedDictionary();
        foreach (var (name, value) in Examples) row.Add(name, value);
        return row;
    }
}

internal sealed class FakeFeatureContext(FeatureInfo feature) : Dictionary<string, object>, IFeatureContext
{
    public Exception TestError => null!;
    public FeatureInfo FeatureInfo { get; } = feature;
    public CultureInfo BindingCulture => CultureInfo.InvariantCulture;
    public IObjectContainer FeatureContainer { get; } = new ObjectContainer();
    public Exception BeforeFeatureHookError => null!;
    public bool BeforeFeatureHookFailed => false;
}

internal sealed class FakeScenarioContext(ScenarioInfo scenario, RuleInfo? rule) : Dictionary<string, object>, IScenarioContext
{
    public Exception TestError { get; private set; } = null!;
    public ScenarioInfo ScenarioInfo { get; } = scenario;
    public RuleInfo RuleInfo { get; } = rule!;
    public ScenarioBlock CurrentScenarioBlock => ScenarioBlock.None;
    public IObjectContainer ScenarioContainer { get; } = new ObjectContainer();
    public ScenarioExecutionStatus ScenarioExecutionStatus { get; set; }

    /// <summary>As Reqnroll: the first error wins and makes the scenario a test error.</summary>
    public void Fail(Exception? error)
    {
        if (error is null || ScenarioExecutionStatus != ScenarioExecutionStatus.OK) return;
        ScenarioExecutionStatus = ScenarioExecutionStatus.TestError;
        TestError = error;
    }
}

internal sealed class FakeStepContext(StepInfo step) : Dictionary<string, object>, IScenarioStepContext
{
    public Exception TestError => StepError;
    public StepInfo StepInfo { get; } = step;
    public ScenarioExecutionStatus Status { get; set; }
    public Exception StepError { get; set; } = null!;
}
