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

    [GeneratedRegex(@"\bCheck\.(That|Holds|Fail|NotChecked|CannotContinue)\(")]
    private static partial Regex CheckCall();

}
