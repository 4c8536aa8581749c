using System.Text;
using DigitalInsurance.Conformance.Support.Redaction;
using Reqnroll;
using Reqnroll.Bindings;
using Reqnroll.Events;

namespace DigitalInsurance.Conformance.Support.Reporting;

/// <summary>Before/after test run hook fixtures, shared by every test thread, written as one container at run end.</summary>
internal sealed class TestRunFixtures
{
    private readonly Lock _gate = new();
    public string Uuid { get; } = Guid.NewGuid().ToString();
    public List<AllureFixture> Befores { get; } = [];
    public List<AllureFixture> Afters { get; } = [];

    public void Add(AllureFixture fixture, bool before)
    {
        lock (_gate) (before ? Befores : Afters).Add(fixture);
    }

    public AllureContainer? ToContainer(IReadOnlyList<string> children)
    {
        lock (_gate)
        {
            if (Befores.Count == 0 && Afters.Count == 0) return null;
            var container = new AllureContainer { Uuid = Uuid, Name = "Test run hooks" };
            container.Children.AddRange(children);
            container.Befores.AddRange(Befores);
            container.Afters.AddRange(Afters);
            return container;
        }
    }
}

/// <summary>
/// Turns one Reqnroll test thread's execution events into allure-results: a result per scenario (per outline row)
/// with a step per Gherkin step and the scenario's evidence attached to the step that produced it, and containers for
/// scenario, feature and test run hooks. A reporting problem is printed once and never fails a test.
/// </summary>
internal sealed class AllureExecutionListener : IAsyncExecutionEventListener
{
    private static int _workers;

    private readonly Func<AllureResultsWriter> _writer;
    private readonly TestRunFixtures _runFixtures;
    private readonly TimeProvider _clock;
    private readonly string _thread;
    private readonly Lock _gate = new();
    private FeatureRun? _feature;
    private ScenarioRun? _scenario;
    private StepRun? _step;
    private AllureFixture? _openHook;
    private bool _openHookIsScenarioLevel;
    private int _problems;

    public AllureExecutionListener(Func<AllureResultsWriter> writer, TestRunFixtures runFixtures, TimeProvider? clock = null)
    {
        _writer = writer;
        _runFixtures = runFixtures;
        _clock = clock ?? TimeProvider.System;
        _thread = $"worker {Interlocked.Increment(ref _workers)}";
    }

    public Task OnEventAsync(IExecutionEvent executionEvent)
    {
        OnEvent(executionEvent);
        return Task.CompletedTask;
    }

    public void OnEvent(IExecutionEvent executionEvent)
    {
        lock (_gate)
        {
            try
            {
                Handle(executionEvent);
            }
            catch (Exception e)
            {
                if (++_problems <= 3)
                    Console.Error.WriteLine(Secrets.Redact(
                        $"Allure results: could not record {executionEvent.GetType().Name} ({e.GetType().Name}: {e.Message}); the test itself is unaffected."));
            }
        }
    }

    private void Handle(IExecutionEvent executionEvent)
    {
        switch (executionEvent)
        {
            case FeatureStartedEvent e: StartFeature(e.FeatureContext.FeatureInfo); break;
            case FeatureFinishedEvent: FinishFeature(); break;
            case ScenarioStartedEvent e: StartScenario(e.FeatureContext, e.ScenarioContext); break;
            case ScenarioSkippedEvent: if (_scenario is not null) _scenario.Skipped = true; break;
            case StepStartedEvent: StartStep(); break;
            case StepFinishedEvent e: FinishStep(e.StepContext); break;
            case HookBindingStartedEvent e: StartHook(e.HookBinding); break;
            case HookBindingFinishedEvent e: FinishHook(e.HookException); break;
            case OutputAddedEvent e: (_step?.Output ?? _scenario?.Output)?.Append(e.Text).Append('\n'); break;
            case AttachmentAddedEvent e: AddAttachmentFile(e.FilePath); break;
            case ScenarioFinishedEvent e: FinishScenario(e.ScenarioContext); break;
            case TestRunFinishedEvent: FinishRun(); break;
        }
    }

    private long Now() => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private void StartFeature(FeatureInfo feature)
    {
        if (_feature is not null && !ReferenceEquals(_feature.Info, feature)) FinishFeature();
        _feature ??= new FeatureRun(feature, Now());
    }

    private void FinishFeature()
    {
        if (_scenario is not null) FinishScenario(null);
        if (_feature is null) return;
        var container = _feature.Container;
        if (container.Befores.Count + container.Afters.Count > 0 && container.Children.Count > 0)
        {
            container.Stop = Now();
            _writer().WriteContainer(container);
        }
        _feature = null;
    }

    private void StartScenario(IFeatureContext featureContext, IScenarioContext scenarioContext)
    {
        if (_scenario is not null) FinishScenario(null);
        StartFeature(featureContext.FeatureInfo);
        ScenarioEvidence? evidence = null;
        try
        {
            evidence = scenarioContext.ScenarioContainer?.Resolve<ScenarioEvidence>();
        }
        catch (Exception)
        {
            // A scenario container that cannot build evidence still gets a result, just without attachments.
        }
        _scenario = new ScenarioRun(featureContext.FeatureInfo, scenarioContext.ScenarioInfo, scenarioContext.RuleInfo, evidence, Now())
        {
            Context = scenarioContext,
        };
    }

    private void StartStep()
    {
        if (_scenario is null) return;
        AttachEvidence(_scenario.Attachments);
        _step = new StepRun(Now());
    }

    private void FinishStep(IScenarioStepContext stepContext)
    {
        if (_scenario is null) return;
        var step = _step ?? new StepRun(Now());
        var info = stepContext.StepInfo;
        var text = new StepText(info.StepInstance?.Keyword ?? info.StepDefinitionType.ToString(), info.Text, info.Table, info.MultilineText);
        var (status, details) = AllureOutcome.Of(stepContext.Status, stepContext.StepError ?? FallbackError(stepContext.Status), text.Name);
        var allureStep = new AllureStep
        {
            Name = text.Name,
            Status = status,
            StatusDetails = details,
            Start = step.Start,
            Stop = Math.Max(step.Start, Now()),
        };
        var writer = _writer();
        if (info.Table is not null) allureStep.Attachments.Add(writer.WriteTextAttachment("Data table", GherkinText.Table(info.Table)));
        if (info.MultilineText is not null) allureStep.Attachments.Add(writer.WriteTextAttachment("Doc string", info.MultilineText));
        AttachEvidence(_scenario, step, allureStep.Attachments);
        _step = null;
        if (step.Output.Length > 0) allureStep.Attachments.Add(writer.WriteTextAttachment("Output", step.Output.ToString()));
        _scenario.Steps.Add((allureStep, text));
    }

    /// <summary>A failed step whose error Reqnroll kept only on the scenario.</summary>
    private Exception? FallbackError(ScenarioExecutionStatus status) =>
        status is ScenarioExecutionStatus.TestError or ScenarioExecutionStatus.BindingError ? _scenario?.Context?.TestError : null;

    private void StartHook(IHookBinding hook)
    {
        _openHook = null;
        // The reporting's own attach hook is plumbing, not part of what the scenario did.
        if (hook.Method?.Type?.FullName == typeof(AllureReportingHooks).FullName) return;
        var fixture = new AllureFixture { Name = HookName(hook), Start = Now() };
        switch (hook.HookType)
        {
            case HookType.BeforeScenario or HookType.AfterScenario when _scenario is not null:
                AttachEvidence(_scenario.Attachments);
                (hook.HookType == HookType.BeforeScenario ? _scenario.Container.Befores : _scenario.Container.Afters).Add(fixture);
                _openHookIsScenarioLevel = true;
                break;
            case HookType.BeforeFeature or HookType.AfterFeature when _feature is not null:
                (hook.HookType == HookType.BeforeFeature ? _feature.Container.Befores : _feature.Container.Afters).Add(fixture);
                _openHookIsScenarioLevel = false;
                break;
            case HookType.BeforeTestRun or HookType.AfterTestRun:
                _runFixtures.Add(fixture, before: hook.HookType == HookType.BeforeTestRun);
                _openHookIsScenarioLevel = false;
                break;
            default:
                // Step and block hooks belong to the step they surround: their evidence lands on that step.
                return;
        }
        _openHook = fixture;
    }

    private void FinishHook(Exception? hookException)
    {
        if (_openHook is not { } fixture) return;
        _openHook = null;
        fixture.Stop = Math.Max(fixture.Start, Now());
        if (hookException is not null) (fixture.Status, fixture.StatusDetails) = AllureOutcome.Of(hookException);
        if (_openHookIsScenarioLevel && _scenario is not null) AttachEvidence(fixture.Attachments);
    }

    private void AddAttachmentFile(string filePath)
    {
        var target = _step is not null ? _step.FileAttachments : _scenario?.FileAttachments;
        if (target is null || !File.Exists(filePath) || EvidenceAttachments.IsCopy(filePath)) return;
        var extension = Path.GetExtension(filePath).TrimStart('.');
        target.Add(new EvidenceItem(Path.GetFileName(filePath), MediaTypeOf(extension), extension, File.ReadAllBytes(filePath), _clock.GetUtcNow()));
    }

    private void AttachEvidence(List<AllureAttachment> into) => AttachEvidence(_scenario, _step, into);

    private void AttachEvidence(ScenarioRun? scenario, StepRun? step, List<AllureAttachment> into)
    {
        if (scenario is null) return;
        var files = step?.FileAttachments ?? scenario.FileAttachments;
        var fresh = scenario.Evidence?.TakeNew() ?? [];
        if (files.Count == 0 && fresh.Count == 0) return;
        var writer = _writer();
        foreach (var item in files) into.Add(writer.WriteAttachment(item));
        files.Clear();
        foreach (var item in fresh) into.Add(writer.WriteAttachment(item));
    }

    private void FinishScenario(IScenarioContext? scenarioContext)
    {
        if (_scenario is not { } scenario) return;
        _scenario = null;
        _step = null;
        var writer = _writer();
        var run = writer.Run;
        var context = scenarioContext ?? scenario.Context;

        // Evidence left over (attachments made outside steps and hooks) stays on the result.
        AttachEvidence(scenario, null, scenario.Attachments);
        if (scenario.Output.Length > 0) scenario.Attachments.Add(writer.WriteTextAttachment("Output", scenario.Output.ToString()));

        var identity = ScenarioIdentity.Of(scenario.Feature, scenario.Info, scenario.Rule, run, _thread);
        var result = new AllureTestResult
        {
            Uuid = scenario.Uuid,
            Name = identity.Name,
            FullName = identity.FullName,
            TestCaseId = identity.TestCaseId,
            HistoryId = identity.HistoryId,
            TitlePath = identity.TitlePath,
            Description = GherkinText.Describe(scenario.Feature, scenario.Rule, scenario.Info, identity.ExampleValues,
                scenario.Steps.Select(s => s.Text).ToList()),
            Start = scenario.Start,
            Stop = Math.Max(scenario.Start, Now()),
        };
        result.Labels.AddRange(identity.Labels);
        result.Links.AddRange(RequirementLinks.For(identity.Labels));
        result.Parameters.AddRange(identity.Parameters);
        result.Steps.AddRange(scenario.Steps.Select(s => s.Step));
        result.Attachments.AddRange(scenario.Attachments);
        (result.Status, result.StatusDetails) = ScenarioOutcome(scenario, context);

        var warnings = scenario.Evidence?.Warnings ?? [];
        if (result.Status == AllureStatus.Passed && warnings.Count > 0)
        {
            result.StatusDetails = new AllureStatusDetails(
                $"{AllureCategories.WarningsMessagePrefix} ({warnings.Count}): " + string.Join("; ", warnings.Take(5)) + (warnings.Count > 5 ? "; …" : ""),
                string.Join("\n", warnings));
            result.Labels.Add(new AllureLabel("tag", "validation-warnings"));
        }

        writer.WriteResult(result);
        if (scenario.Container.Befores.Count + scenario.Container.Afters.Count > 0)
        {
            scenario.Container.Children.Add(scenario.Uuid);
            scenario.Container.Start = scenario.Start;
            scenario.Container.Stop = result.Stop;
            writer.WriteContainer(scenario.Container);
        }
        _feature?.Container.Children.Add(scenario.Uuid);
    }

    internal static void WriteNotRun(AllureResultsWriter writer, FeatureInfo feature, ScenarioInfo scenario, RuleInfo? rule,
        string status, string reason, IReadOnlyList<string> stepNames)
    {
        var identity = ScenarioIdentity.Of(feature, scenario, rule, writer.Run, "not run");
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var steps = stepNames.Select(name =>
        {
            var space = name.IndexOf(' ');
            return new StepText(space > 0 ? name[..space] : name, space > 0 ? name[(space + 1)..] : "", null, null);
        }).ToList();
        var result = new AllureTestResult
        {
            Uuid = Guid.NewGuid().ToString(),
            Name = identity.Name,
            FullName = identity.FullName,
            TestCaseId = identity.TestCaseId,
            HistoryId = identity.HistoryId,
            TitlePath = identity.TitlePath,
            Description = GherkinText.Describe(feature, rule, scenario, identity.ExampleValues, steps),
            Status = status,
            StatusDetails = new AllureStatusDetails(reason, null),
            Start = now,
            Stop = now,
        };
        result.Labels.AddRange(identity.Labels);
        result.Links.AddRange(RequirementLinks.For(identity.Labels));
        result.Parameters.AddRange(identity.Parameters);
        // The steps themselves never ran, whatever kept the scenario from running.
        result.Steps.AddRange(steps.Select(s => new AllureStep { Name = s.Name, Status = AllureStatus.Skipped, Start = now, Stop = now }));
        writer.WriteResult(result);
    }

    private static (string, AllureStatusDetails) ScenarioOutcome(ScenarioRun scenario, IScenarioContext? context)
    {
        var status = context?.ScenarioExecutionStatus ?? ScenarioExecutionStatus.OK;
        if (scenario.Skipped || status == ScenarioExecutionStatus.Skipped)
            return (AllureStatus.Skipped, new AllureStatusDetails(context?.TestError?.Message ?? "Skipped: the scenario is ignored.", null));
        if (status is ScenarioExecutionStatus.StepDefinitionPending or ScenarioExecutionStatus.UndefinedStep)
        {
            var step = scenario.Steps.FirstOrDefault(s => s.Step.Status == AllureStatus.Broken);
            return step.Step is not null
                ? (AllureStatus.Broken, step.Step.StatusDetails)
                : AllureOutcome.Of(status, context?.TestError, scenario.Info.Title);
        }
        if (status == ScenarioExecutionStatus.OK)
        {
            // A step can fail without Reqnroll changing the scenario's status only if something is badly wrong; trust the steps.
            var failed = scenario.Steps.FirstOrDefault(s => s.Step.Status is AllureStatus.Failed or AllureStatus.Broken);
            return failed.Step is not null ? (failed.Step.Status, failed.Step.StatusDetails) : (AllureStatus.Passed, new AllureStatusDetails(null, null));
        }
        return AllureOutcome.Of(status, context?.TestError, scenario.Info.Title);
    }

    private void FinishRun()
    {
        FinishFeature();
        var writer = _writer();
        if (_runFixtures.ToContainer(writer.ResultUuids) is { } container) writer.WriteContainer(container);
    }

    private static string HookName(IHookBinding hook)
    {
        var kind = hook.HookType switch
        {
            HookType.BeforeTestRun => "Before test run",
            HookType.AfterTestRun => "After test run",
            HookType.BeforeFeature => "Before feature",
            HookType.AfterFeature => "After feature",
            HookType.BeforeScenario => "Before scenario",
            HookType.AfterScenario => "After scenario",
            _ => hook.HookType.ToString(),
        };
        var method = hook.Method is { } m ? $"{m.Type?.Name}.{m.Name}" : "hook";
        return $"{kind}: {method}";
    }

    private static string MediaTypeOf(string extension) => extension.ToLowerInvariant() switch
    {
        "png" => "image/png",
        "jpg" or "jpeg" => "image/jpeg",
        "json" => "application/json",
        "html" or "htm" => "text/html",
        "zip" => "application/zip",
        "xml" => "application/xml",
        "txt" or "log" => "text/plain",
        _ => "application/octet-stream",
    };

    private sealed class FeatureRun(FeatureInfo info, long start)
    {
        public FeatureInfo Info { get; } = info;
        public AllureContainer Container { get; } = new() { Uuid = Guid.NewGuid().ToString(), Name = info.Title, Start = start };
    }

    private sealed class ScenarioRun(FeatureInfo feature, ScenarioInfo info, RuleInfo? rule, ScenarioEvidence? evidence, long start)
    {
        public string Uuid { get; } = Guid.NewGuid().ToString();
        public FeatureInfo Feature { get; } = feature;
        public ScenarioInfo Info { get; } = info;
        public RuleInfo? Rule { get; } = rule;
        public IScenarioContext? Context { get; set; }
        public ScenarioEvidence? Evidence { get; } = evidence;
        public long Start { get; } = start;
        public bool Skipped { get; set; }
        public List<(AllureStep Step, StepText Text)> Steps { get; } = [];
        public List<AllureAttachment> Attachments { get; } = [];
        public List<EvidenceItem> FileAttachments { get; } = [];
        public StringBuilder Output { get; } = new();
        public AllureContainer Container { get; } = new() { Uuid = Guid.NewGuid().ToString() };
    }

    private sealed class StepRun(long start)
    {
        public long Start { get; } = start;
        public StringBuilder Output { get; } = new();
        public List<EvidenceItem> FileAttachments { get; } = [];
    }
}
