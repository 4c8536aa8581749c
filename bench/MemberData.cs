using System.Text.Json;
using System.Text.Json.Nodes;

namespace DigitalInsurance.Conformance.Bench;

/// <summary>
/// A sandbox data folder (setting sandboxDataFolder) and members file (setting membersFile) for N members: the sandbox's
/// own four members (sandbox/data/README.md) first, then generated ones, each a copy of Amy Shaw's Patient and Coverage
/// with its own id, name, birth date and member ID. The bench validates every generated resource before using it.
/// </summary>
public static class MemberData
{
    private sealed record Member(string FirstName, string LastName, string Birthdate, string MemberId, string PostalCode);

    private static readonly Member[] SandboxMembers =
    [
        new("Jason", "Argonaut", "01/01/1986", "08-testmemid", "02114"),
        new("Jessica", "Argonaut", "03/15/2014", "08-testmemid-02", "02114"),
        new("Amy", "Shaw", "09/23/1979", "DHP-4417-2093", "60614"),
        new("Kenji", "Tanaka", "11/08/1992", "DHP-7730-5521", "98101"),
    ];

    private static readonly string[] GivenNames =
        ["Avery", "Blake", "Casey", "Devon", "Emery", "Finley", "Gray", "Harper", "Indy", "Jules", "Kai", "Logan", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Tatum"];

    /// <returns>The data folder and the members file.</returns>
    public static (string DataFolder, string MembersFile, int Generated) Generate(string repositoryRoot, int members, string outputFolder)
    {
        var data = Path.Combine(outputFolder, "data");
        if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        var source = Path.Combine(repositoryRoot, "sandbox", "data");
        foreach (var file in Directory.EnumerateFiles(source, "*.json", SearchOption.AllDirectories))
        {
            var target = Path.Combine(data, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var patientTemplate = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "03-shaw", "Patient-amy-shaw.json")))!;
        var coverageTemplate = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "03-shaw", "Coverage-amy-medical.json")))!;
        var generatedFolder = Directory.CreateDirectory(Path.Combine(data, "05-generated")).FullName;
        var roster = SandboxMembers.Take(members).ToList();
        for (var i = 1; roster.Count < members; i++)
        {
            var member = new Member(GivenNames[(i - 1) % GivenNames.Length], $"Benchmark{i:00}", $"{(i - 1) % 12 + 1:00}/{(i - 1) % 28 + 1:00}/{1960 + i}",
                $"DHP-9000-{i:0000}", "60614");
            var id = $"bench-member-{i:00}";
            var (patient, coverage) = (patientTemplate.DeepClone(), coverageTemplate.DeepClone());
            patient["id"] = id;
            patient["identifier"]![0]!["value"] = member.MemberId;
            patient["name"]![0]!["family"] = member.LastName;
            patient["name"]![0]!["given"] = new JsonArray(member.FirstName);
            patient["birthDate"] = $"{member.Birthdate[6..]}-{member.Birthdate[..2]}-{member.Birthdate[3..5]}";
            coverage["id"] = $"coverage-{id}";
            coverage["identifier"]![0]!["value"] = member.MemberId;
            coverage["subscriberId"] = member.MemberId;
            foreach (var role in new[] { "subscriber", "beneficiary" })
            {
                coverage[role]!["reference"] = $"Patient/{id}";
                coverage[role]!["display"] = $"{member.FirstName} {member.LastName}";
            }
            File.WriteAllText(Path.Combine(generatedFolder, $"Patient-{id}.json"), patient.ToJsonString(Indented));
            File.WriteAllText(Path.Combine(generatedFolder, $"Coverage-{id}.json"), coverage.ToJsonString(Indented));
            roster.Add(member);
        }

        var membersFile = Path.Combine(outputFolder, "members.json");
        File.WriteAllText(membersFile, new JsonArray(roster.Select(m => (JsonNode)new JsonObject
        {
            ["firstName"] = m.FirstName, ["lastName"] = m.LastName, ["birthdate"] = m.Birthdate, ["memberId"] = m.MemberId, ["postalCode"] = m.PostalCode,
        }).ToArray()).ToJsonString(Indented));
        return (data, membersFile, Math.Max(0, members - SandboxMembers.Length));
    }

    /// <summary>Validates the generated resources; throws when one has errors (the suite's verdicts would then say nothing about speed).</summary>
    public static string CheckGenerated(BenchOptions options, string dataFolder)
    {
        var generated = Path.Combine(dataFolder, "05-generated");
        if (!Directory.Exists(generated)) return "none generated";
        var validator = SharedValidator.Get(options);
        var reports = Directory.GetFiles(generated, "*.json").Order(StringComparer.Ordinal).Select(f => validator.Validate(File.ReadAllText(f))).ToList();
        var failing = reports.Where(r => r.HasErrors).ToList();
        if (failing.Count > 0)
            throw new InvalidOperationException($"Generated member data is not valid: {string.Join("; ", failing.Select(r => r.ToText()))}");
        return $"{reports.Count} generated resources: {reports.Sum(r => r.ErrorCount)} errors, {reports.Sum(r => r.WarningCount)} warnings";
    }

    public static int GenerateCommand(BenchOptions options)
    {
        var (data, members, generated) = Generate(options.RepositoryRoot, options.Members, options.OutputFolder);
        Console.WriteLine($"{data} ({generated} generated members), {members}: {CheckGenerated(options, data)}");
        return 0;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
