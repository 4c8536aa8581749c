using System.Runtime.CompilerServices;

namespace DigitalInsurance.Conformance.Tests.Browser;

/// <summary>Files of the repository the tests read from source, found from the output folder or, failing that, this source file.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PageModel(string name) => Path.Combine(Root, "support", "browser", "page-models", name + ".json");

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
                if (File.Exists(Path.Combine(folder.FullName, "DigitalInsurance.Conformance.csproj"))) return folder.FullName;
        throw new InvalidOperationException($"No DigitalInsurance.Conformance.csproj above {AppContext.BaseDirectory} or {sourceFile}.");
    }
}
