using System.Globalization;

namespace DigitalInsurance.Conformance.Bench;

/// <summary>Command-line options of the bench (see Program.cs for the usage text).</summary>
public sealed record BenchOptions
{
    public required string RepositoryRoot { get; init; }
    public required string OutputFolder { get; init; }
    /// <summary>Fewer repetitions (run.sh's default): the figures are indicative, not statistically tight.</summary>
    public bool Short { get; init; }
    public IReadOnlyList<int> MemberCounts { get; init; } = [1, 5, 20];
    public int Parallelism { get; init; } = 4;
    /// <summary>Skip the default suite run at parallelism 1 (only when trying out member runs).</summary>
    public bool SkipDefaultRun { get; init; }
    /// <summary>generate-members: how many members.</summary>
    public int Members { get; init; } = 5;

    public string FhirPackages =>
        Environment.GetEnvironmentVariable("DIC_FHIR_PACKAGES") is { Length: > 0 } configured
            ? Path.GetFullPath(configured, RepositoryRoot)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fhir", "packages");

    public static BenchOptions Parse(IEnumerable<string> arguments)
    {
        var args = arguments.ToList();
        string? Value(string name)
        {
            var index = args.IndexOf(name);
            return index >= 0 && index + 1 < args.Count ? args[index + 1] : null;
        }

        var root = Value("--repo") is { } repo ? Path.GetFullPath(repo) : FindRepositoryRoot();
        return new BenchOptions
        {
            RepositoryRoot = root,
            OutputFolder = Value("--out") is { } output ? Path.GetFullPath(output) : Path.Combine(root, "bench"),
            Short = args.Contains("--short"),
            SkipDefaultRun = args.Contains("--no-default"),
            MemberCounts = Value("--members") is { } counts
                ? counts.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList()
                : [1, 5, 20],
            Members = Value("--members") is { } count && !count.Contains(',') ? int.Parse(count, CultureInfo.InvariantCulture) : 5,
            Parallelism = Value("--parallelism") is { } parallelism ? int.Parse(parallelism, CultureInfo.InvariantCulture) : 4,
        };
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "DigitalInsurance.Conformance.csproj")))
                return folder.FullName;
        throw new InvalidOperationException($"No DigitalInsurance.Conformance.csproj above {AppContext.BaseDirectory}: pass --repo <repository root>.");
    }
}
