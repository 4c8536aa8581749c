using System.Diagnostics;
using DigitalInsurance.Conformance.Support.Validation;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

/// <summary>
/// Measures start-up, warm-up and warm validation times of a validator of its own (printed, never asserted) and checks
/// that a warmed-up validator reaches the same verdicts as the shared one.
/// </summary>
public class ValidatorTimingTests
{
    [Test]
    public async System.Threading.Tasks.Task A_warmed_up_validator_gives_the_same_verdicts_and_timings_are_reported()
    {
        var total = Stopwatch.StartNew();
        var validator = await ConformanceValidator.CreateAsync(ValidationTestEnvironment.Settings(), ValidationTestEnvironment.ProfilesFolder);
        var created = total.Elapsed;
        await validator.WarmUpAsync();
        var warmedUp = total.Elapsed - created;

        var shared = await ValidationTestEnvironment.SharedValidator();
        var lines = new List<string> { $"create {created.TotalMilliseconds:F0} ms, warm-up {warmedUp.TotalMilliseconds:F0} ms" };
        foreach (var example in new[] { "Coverage-Example-Coverage-FSH", "Organization-Example-PayerOrganization1", "Patient-Example-Patient1" })
        {
            var json = ValidationTestEnvironment.Example(validator, example);
            var reports = Enumerable.Range(0, 20).Select(_ => validator.ValidateWithoutMemo(json)).ToList();
            lines.Add($"{example}: warm mean {reports.Average(r => r.Elapsed.TotalMilliseconds):F1} ms, min {reports.Min(r => r.Elapsed.TotalMilliseconds):F1} ms");

            Assert.That(reports.Select(r => r.ToText()), Is.All.EqualTo(shared.Validate(json).ToText()), example);
        }
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
