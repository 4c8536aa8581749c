using Io.Cucumber.Messages.Types;

namespace DigitalInsurance.Conformance.Support.Runner;

/// <summary>
/// Scenarios tagged @per-member (on the scenario, its rule or its feature) run once per member of the roster
/// (the harness's members file, handed over through HarnessWiring): each gets a pickle of its own per member, as if the scenario were an
/// outline with one Examples row per member. The pickle carries the argument <c>member</c> (the member's label): it is
/// the Allure parameter "member", the suffix of the test's name, and how the scenario knows whom to enroll
/// (<c>ConformanceScenario.Member</c>). Without a roster nothing is multiplied and no argument is added.
/// </summary>
internal static class PerMemberPickles
{
    public const string Tag = "per-member";
    public const string ArgumentName = "member";

    public static bool IsPerMember(Pickle pickle) =>
        pickle.Tags.Any(t => t.Name.TrimStart('@').Equals(Tag, StringComparison.OrdinalIgnoreCase));

    /// <summary>The pickles with every @per-member one replaced by one copy per member (ids made unique per member), in order.</summary>
    public static List<(Pickle Pickle, string? Member)> Expand(IReadOnlyList<Pickle> pickles, IReadOnlyList<string>? members)
    {
        var expanded = new List<(Pickle, string?)>(pickles.Count);
        foreach (var pickle in pickles)
        {
            if (members is not { Count: > 0 } || !IsPerMember(pickle))
            {
                expanded.Add((pickle, null));
                continue;
            }
            for (var i = 0; i < members.Count; i++)
                expanded.Add((Copy(pickle, $"m{i + 1}"), members[i]));
        }
        return expanded;
    }

    private static Pickle Copy(Pickle pickle, string suffix) => new(
        $"{pickle.Id}-{suffix}",
        pickle.Uri,
        pickle.Name,
        pickle.Language,
        pickle.Steps.Select(s => new PickleStep(s.Argument, s.AstNodeIds, $"{s.Id}-{suffix}", s.Type, s.Text)).ToList(),
        pickle.Tags,
        pickle.AstNodeIds);
}
