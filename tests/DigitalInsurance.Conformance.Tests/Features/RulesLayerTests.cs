using System.Text.RegularExpressions;
using DigitalInsurance.Conformance.Tests.Browser;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Features;

/// <summary>Only the rules layer (support/rules) decides pass or fail: clients, sessions and steps never call Check.</summary>
public partial class RulesLayerTests
{
    [Test]
    public void Check_is_called_only_under_support_rules()
    {
        var root = RepositoryFiles.Root;
        var rules = Path.Combine(root, "support", "rules") + Path.DirectorySeparatorChar;
        var calls = new[] { "support", "steps" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.StartsWith(rules, StringComparison.Ordinal))
            .SelectMany(file => File.ReadAllLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => !l.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && CheckCall().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(root, l.file)}:{l.number}: {l.line.Trim()}")
            .ToList();
        Assert.That(calls, Is.Empty, "Check.* outside support/rules: move the verdict into a rule class under support/rules/<area> and call that");
    }

    [GeneratedRegex(@"\b[Cc]heck\.(That|Holds|Fail|NotChecked|CannotContinue)\(")]
    private static partial Regex CheckCall();

    [Test]
    public void Every_rule_class_gets_its_scenario_s_checks_by_injection()
    {
        var ruleClasses = typeof(Support.Rules.Check).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(Support.Rules.Check).Namespace && t.IsPublic && t.Name.EndsWith("Rules", StringComparison.Ordinal))
            .ToList();
        Assert.That(ruleClasses, Is.Not.Empty);
        var notInjected = ruleClasses
            .Where(t => t.IsAbstract || !t.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(Support.Rules.Check))))
            .Select(t => t.Name);
        Assert.That(notInjected, Is.Empty,
            "rule classes without a constructor taking Check (static classes reach no scenario): declare them `public sealed class XRules(Check check)` and call check.That(...)");
    }

    [Test]
    public void Support_code_keeps_no_ambient_state()
    {
        var root = RepositoryFiles.Root;
        var ambient = new[] { "support", "steps" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(file => File.ReadAllLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => l.line.Contains("AsyncLocal<", StringComparison.Ordinal) || l.line.Contains("ThreadStatic", StringComparison.Ordinal))
            .Select(l => $"{Path.GetRelativePath(root, l.file)}:{l.number}: {l.line.Trim()}");
        Assert.That(ambient, Is.Empty, "the run, the policy and the scenario reach code by Reqnroll's context injection (see support/README.md)");
    }

}
