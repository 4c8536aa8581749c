using NUnit.Framework;
using DigitalInsurance.Conformance.Support.Runner;

namespace DigitalInsurance.Conformance;

/// <summary>
/// Reqnroll's test run start and end ([BeforeTestRun]/[AfterTestRun] hooks, formatters) around all features.
/// NUnit applies a SetUpFixture to the tests below its namespace, and the adapter's pre-filter keeps it only when a
/// test to run lies below it: feature fixtures are named DigitalInsurance.Conformance.Features.* while their type,
/// FeatureTests, lives in DigitalInsurance.Conformance.Support.Runner, so this one sits in their common namespace.
/// </summary>
[SetUpFixture]
public sealed class ReqnrollTestRun
{
    [OneTimeSetUp]
    public Task StartAsync() => TestRunLifecycle.StartAsync(typeof(ReqnrollTestRun).Assembly);

    [OneTimeTearDown]
    public Task EndAsync() => TestRunLifecycle.EndAsync(typeof(ReqnrollTestRun).Assembly);
}
