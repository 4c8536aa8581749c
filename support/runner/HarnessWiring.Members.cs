using DigitalInsurance.Conformance.Support.Members;

namespace DigitalInsurance.Conformance.Support.Runner;

/// <summary>The harness's members file, wired into discovery (kept apart: samples that reuse the reporting wiring have no roster).</summary>
internal static partial class HarnessWiring
{
    static partial void ReadMembersForDiscovery(string outputFolder, ref IReadOnlyList<string>? members) =>
        members = MemberRoster.LabelsForDiscovery(DiscoverySetting.Read(MemberRoster.EnvironmentVariable, MemberRoster.SettingName), outputFolder);
}
