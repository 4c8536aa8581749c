using NUnit.Framework;
using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Fhir;
using DemoHealthPlan.Sandbox.Fhir.Access;
using DemoHealthPlan.Sandbox.Fhir.Api;
using DemoHealthPlan.Sandbox.Fhir.Data;
using DemoHealthPlan.Sandbox.Tests.Infrastructure;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Tests.Fhir;

/// <summary>The shipped data set and the members in it, as the FHIR tests rely on them.</summary>
internal static class FhirTestData
{
    public static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "data");

    public static FhirResourceStore LoadShipped() => FhirDataLoader.Load(ShippedFolder);

    public static readonly TestMember Jessica = new("Jessica", "Argonaut", new DateOnly(2014, 3, 15), "08-testmemid-02", "02114");
    public static readonly TestMember Amy = new("Amy", "Shaw", new DateOnly(1979, 9, 23), "DHP-4417-2093", "60614");
    public static readonly TestMember Kenji = new("Kenji", "Tanaka", new DateOnly(1992, 11, 8), "DHP-7730-5521", "98101");

    public static readonly string[] JasonCoverages = ["coverage-jason-medical", "coverage-jason-medical-2025", "coverage-jason-dental", "coverage-jessica-medical"];
    public static readonly string[] AmyCoverages = ["coverage-amy-medical", "coverage-amy-vision"];
    public static readonly string[] AllCoverages = [.. JasonCoverages, .. AmyCoverages, "coverage-kenji-medical"];

    /// <summary>Pays only Amy's vision Coverage: the one payor outside Jason's compartment.</summary>
    public const string AmyOnlyPayor = "great-lakes-vision-plan";

    public const string MemberIdSystem = "https://demo-health-plan.example/fhir/sid/member-id";
    public const string C4dicCoverage = "http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Coverage";
}

/// <summary>The FHIR interactions called directly (no HTTP, no token): the caller is given, as a validated token would.</summary>
internal sealed class DirectFhir(IEnumerable<string>? faults = null, FhirResourceStore? store = null, IEnumerable<string>? variations = null)
{
    public static readonly FhirUrls Urls = new("http://sandbox.test/r4", "http://sandbox.test");

    public FhirResourceStore Store { get; } = store ?? FhirTestData.LoadShipped();

    public FhirApi Api => new(Store, new SandboxFaults(faults ?? []), new SandboxVariations(variations ?? []), TimeProvider.System);

    public static FhirCaller Caller(string patientId, params string[] scopes) =>
        new(patientId, scopes.Length == 0 ? ["patient/*.read"] : scopes);

    public Bundle Search(string patientId, string type, string query = "") =>
        (Bundle)Api.Search(Caller(patientId), type, Query(query), Urls).Body!;

    public FhirProblem SearchFails(string patientId, string type, string query) =>
        Assert.Throws<FhirProblem>(() => Api.Search(Caller(patientId), type, Query(query), Urls))!;

    public static List<string> Matches(Bundle bundle) =>
        bundle.Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Match).Select(e => e.Resource!.Id!).ToList();

    public static List<string> Included(Bundle bundle) =>
        bundle.Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Include).Select(e => $"{e.Resource!.TypeName}/{e.Resource.Id}").ToList();

    /// <summary>"a=1&amp;b=2" as ordered pairs, repeated names kept.</summary>
    public static List<KeyValuePair<string, string>> Query(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => new KeyValuePair<string, string>(Uri.UnescapeDataString(p[0]), p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : ""))
            .ToList();
}

/// <summary>A throwaway data folder for loader and directory tests.</summary>
internal sealed class TempDataFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dhp-fhir-test-" + Guid.NewGuid().ToString("N"));

    public TempDataFolder() => Directory.CreateDirectory(Path);

    public TempDataFolder With(string relativePath, string content)
    {
        var file = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return this;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
