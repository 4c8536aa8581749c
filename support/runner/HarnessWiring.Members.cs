using DigitalInsurance.Conformance.Support.Members;

namespace DigitalInsurance.Conformance.Support.Runner;

/// <summary>The harness's members file, wired into discovery (kept apart: samples that reuse the reporting wiring have no roster).</summary>
internal static partial class HarnessWiring
{
    // Environment DIC_MEMBERS_FILE first, then the runsettings parameter membersFile, as the settings binder reads them.
    static partial void ReadMembersForDiscovery(string outputFolder, ref IReadOnlyList<string>? members) =>
        members = MemberRoster.LabelsForDiscovery(
            Environment.GetEnvironmentVariable(MemberRoster.EnvironmentVariable) is { Length: > 0 } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment)
                ? fromEnvironment
                : NUnit.Framework.TestContext.Parameters.Get(MemberRoster.SettingName),
            outputFolder);
}
