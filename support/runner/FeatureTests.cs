using System.Reflection;
using NUnit.Framework;
using Reqnroll;

namespace DigitalInsurance.Conformance.Support.Runner;

/// <summary>
/// The NUnit fixture type behind every feature (see <see cref="FeatureFixturesAttribute"/>): runs one pickle
/// through Reqnroll's <see cref="ITestRunner"/> the way Reqnroll's generated NUnit code-behind does (test
/// initialize, scenario body, test cleanup, feature teardown). All per-scenario state is local, so fixtures and
/// their test cases can later run in parallel (Reqnroll hands each concurrent scenario its own runner).
/// </summary>
[FeatureFixtures]
public sealed class FeatureTests(FeatureDefinition feature)
{
    private static readonly Assembly TestAssembly = typeof(FeatureTests).Assembly;

    // The first scenario of a feature runs its [BeforeFeature] hooks; when they fail, the later ones report the same error.
    private Exception? _featureStartFailure;

    public async Task RunScenarioAsync(ScenarioDefinition scenario)
    {
        if (scenario.IgnoreReason is not null)
        {
            // Like [Ignore] on generated code: no hook runs. Only the harness's reports hear of it.
            HarnessWiring.ScenarioIgnored(feature.Info, CreateScenarioInfo(scenario), scenario.Rule, scenario.IgnoreReason,
                scenario.Steps.Select(s => s.Keyword + s.Text).ToList());
            Assert.Ignore(scenario.IgnoreReason);
        }
        if (TestRunLifecycle.StartFailure is { } runStartFailure)
        {
            ReportNotRun(scenario, runStartFailure, "The test run did not start ([BeforeTestRun] hook)");
            return;
        }

        var runner = TestRunnerManager.GetTestRunnerForAssembly(TestAssembly, featureHint: feature.Info);
        var scenarioInitialized = false;
        Exception? scenarioError = null;
        try
        {
            if (!await StartFeatureAsync(runner, scenario))
                return;

            runner.OnScenarioInitialize(CreateScenarioInfo(scenario), scenario.Rule);
            scenarioInitialized = true;
            runner.ScenarioContext.ScenarioContainer.RegisterInstanceAs(TestContext.CurrentContext);

            await runner.OnScenarioStartAsync();
            foreach (var step in scenario.Steps)
                await RunStepAsync(runner, step);
            await runner.CollectScenarioErrorsAsync();
        }
        catch (Exception e)
        {
            scenarioError = e;
        }
        finally
        {
            scenarioError = await EndScenarioAsync(runner, scenarioInitialized, scenarioError);
        }

        if (scenarioError is not null)
            UserFacingErrors.Report(scenarioError);
    }

    [OneTimeTearDown]
    public Task EndFeatureAsync() =>
        // No feature: the fixture of an unreadable feature file, whose only test is invalid.
        feature is null || TestRunLifecycle.StartFailure is not null
            ? Task.CompletedTask
            : TestRunnerManager.ReleaseFeatureAsync(feature.Info, TestAssembly);

    /// <returns>false when the feature cannot run and the test has already been failed with the reason.</returns>
    private async Task<bool> StartFeatureAsync(ITestRunner runner, ScenarioDefinition scenario)
    {
        // A runner from the pool may still hold another feature: finish it first (its [AfterFeature] hooks run).
        try
        {
            if (runner.FeatureContext is not null && !ReferenceEquals(runner.FeatureContext.FeatureInfo, feature.Info))
                await runner.OnFeatureEndAsync();
        }
        finally
        {
            if (runner.FeatureContext is null)
            {
                try
                {
                    await runner.OnFeatureStartAsync(feature.Info);
                }
                catch (Exception e)
                {
                    _featureStartFailure = e;
                }
            }
        }

        if (runner.FeatureContext?.BeforeFeatureHookFailed != true && _featureStartFailure is null)
            return true;

        ReportNotRun(scenario, _featureStartFailure ?? new ReqnrollException("A [BeforeFeature] hook failed."),
            $"The feature '{feature.Title}' did not start ([BeforeFeature] hook)");
        return false;
    }

    /// <summary>Fails the test with the earlier failure and tells the harness's reports, which never saw the scenario start.</summary>
    private void ReportNotRun(ScenarioDefinition scenario, Exception earlier, string whatFailed)
    {
        HarnessWiring.ScenarioNotRun(feature.Info, CreateScenarioInfo(scenario), scenario.Rule, UserFacingErrors.EarlierMessage(earlier, whatFailed),
            scenario.Steps.Select(s => s.Keyword + s.Text).ToList());
        UserFacingErrors.ReportEarlier(earlier, whatFailed);
    }

    private static async Task<Exception?> EndScenarioAsync(ITestRunner runner, bool scenarioInitialized, Exception? scenarioError)
    {
        try
        {
            if (scenarioInitialized)
                await runner.OnScenarioEndAsync();
        }
        catch (Exception e) when (scenarioError is not null)
        {
            // The scenario's own failure is the one to report; the [AfterScenario] failure goes to the test output.
            await TestContext.Error.WriteLineAsync($"[AfterScenario] also failed: {e.GetType().Name}: {e.Message}");
        }
        catch (Exception e)
        {
            scenarioError = e;
        }
        finally
        {
            TestRunnerManager.ReleaseTestRunner(runner);
        }
        return scenarioError;
    }

    private ScenarioInfo CreateScenarioInfo(ScenarioDefinition scenario) => new(
        scenario.Title,
        scenario.ScenarioDescription,
        scenario.Tags,
        scenario.Arguments,
        scenario.Rule is null ? feature.Info.Tags : TagHelper.CombineTags(feature.Info.Tags, scenario.Rule.Tags),
        scenario.PickleIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static Task RunStepAsync(ITestRunner runner, StepCall step)
    {
        var table = step.CreateTable();
        return step.Method switch
        {
            StepMethod.Given => runner.GivenAsync(step.Text, step.DocString, table, step.Keyword),
            StepMethod.When => runner.WhenAsync(step.Text, step.DocString, table, step.Keyword),
            StepMethod.Then => runner.ThenAsync(step.Text, step.DocString, table, step.Keyword),
            StepMethod.But => runner.ButAsync(step.Text, step.DocString, table, step.Keyword),
            _ => runner.AndAsync(step.Text, step.DocString, table, step.Keyword),
        };
    }
}
