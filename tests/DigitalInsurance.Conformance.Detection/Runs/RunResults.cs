using System.Xml;
using System.Xml.Linq;

namespace DigitalInsurance.Conformance.Detection.Runs;

public enum ScenarioOutcome { Passed, Failed, Skipped }

/// <summary>One scenario of a conformance run: what the TRX says about it, with its Gherkin tags.</summary>
public sealed record ScenarioResult(string FullName, string Title, IReadOnlyList<string> Categories, ScenarioOutcome Outcome, string? Message);

/// <summary>
/// A conformance run's verdicts, read as a user reads them: outcomes and failure messages from its TRX. The TRX does not
/// carry NUnit categories (nunit3-vs-adapter#506), so each scenario's tags come from the NUnit result XML of the same run,
/// matched by fully qualified name; a TRX result without a match is a problem, never silently untagged.
/// </summary>
public static class RunResults
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>Reads both files; problems (a missing file, a crashed run, an unmatched test) go to <paramref name="problems"/>.</summary>
    public static IReadOnlyList<ScenarioResult> Read(string? trxPath, string? nunitXmlPath, List<string> problems)
    {
        if (trxPath is null || !File.Exists(trxPath))
        {
            problems.Add("The run wrote no TRX file: it did not get as far as reporting results (see its dotnet-test.log).");
            return [];
        }
        XDocument trx;
        try { trx = XDocument.Load(trxPath); }
        catch (XmlException e)
        {
            problems.Add($"The TRX file {trxPath} is not readable XML ({e.Message}): the run was cut off while writing it.");
            return [];
        }

        var summary = trx.Root?.Element(Trx + "ResultSummary");
        var summaryOutcome = summary?.Attribute("outcome")?.Value;
        if (summaryOutcome is "Aborted" or "Error" or "Timeout")
            problems.Add($"The run ended abnormally (TRX outcome {summaryOutcome}){RunInfoText(summary)}.");

        var categories = nunitXmlPath is not null && File.Exists(nunitXmlPath) ? ReadNUnitTestCases(nunitXmlPath, problems) : null;
        if (categories is null)
            problems.Add("The run wrote no NUnit result XML, so its scenarios' tags are unknown.");

        var definitions = trx.Descendants(Trx + "UnitTest")
            .ToDictionary(
                d => d.Attribute("id")!.Value,
                d => d.Element(Trx + "TestMethod") is { } method ? $"{method.Attribute("className")?.Value}.{method.Attribute("name")?.Value}" : d.Attribute("name")!.Value);

        var results = new List<ScenarioResult>();
        foreach (var result in trx.Descendants(Trx + "UnitTestResult"))
        {
            var fullName = definitions.GetValueOrDefault(result.Attribute("testId")?.Value ?? "") ?? result.Attribute("testName")?.Value ?? "(unnamed)";
            var outcome = result.Attribute("outcome")?.Value switch
            {
                "Passed" => ScenarioOutcome.Passed,
                "NotExecuted" or "Inconclusive" or "Pending" or "Disconnected" => ScenarioOutcome.Skipped,
                _ => ScenarioOutcome.Failed,
            };
            var message = result.Element(Trx + "Output")?.Element(Trx + "ErrorInfo")?.Element(Trx + "Message")?.Value;
            TestCaseInfo? info = null;
            if (categories is not null && !categories.TryGetValue(fullName, out info))
                problems.Add($"{fullName} is in the TRX but not in the NUnit result XML: its tags are unknown.");
            results.Add(new ScenarioResult(fullName, info?.Title ?? fullName, info?.Categories ?? [], outcome, message?.Trim()));
        }

        var total = summary?.Element(Trx + "Counters")?.Attribute("total")?.Value;
        if (int.TryParse(total, out var expected) && expected != results.Count)
            problems.Add($"The TRX counts {expected} tests but holds {results.Count} results: the run did not finish every test.");
        return results;
    }

    private sealed record TestCaseInfo(string Title, IReadOnlyList<string> Categories);

    private static Dictionary<string, TestCaseInfo>? ReadNUnitTestCases(string path, List<string> problems)
    {
        XDocument document;
        try { document = XDocument.Load(path); }
        catch (XmlException e)
        {
            problems.Add($"The NUnit result XML {path} is not readable ({e.Message}).");
            return null;
        }
        var cases = new Dictionary<string, TestCaseInfo>(StringComparer.Ordinal);
        foreach (var testCase in document.Descendants("test-case"))
        {
            var properties = testCase.Element("properties")?.Elements("property").ToList() ?? [];
            string[] Values(string name) => properties.Where(p => p.Attribute("name")?.Value == name).Select(p => p.Attribute("value")!.Value).ToArray();
            var fullName = testCase.Attribute("fullname")!.Value;
            cases[fullName] = new TestCaseInfo(Values("Description").FirstOrDefault() ?? testCase.Attribute("name")!.Value, Values("Category"));
        }
        return cases;
    }

    private static string RunInfoText(XElement? summary)
    {
        var texts = summary?.Descendants(Trx + "Text").Select(t => t.Value.Trim()).Where(t => t.Length > 0).Take(3).ToList() ?? [];
        return texts.Count == 0 ? "" : ": " + string.Join(" | ", texts.Select(t => t.ReplaceLineEndings(" ")));
    }
}
