using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using DigitalInsurance.Conformance.Support.Configuration;
using DigitalInsurance.Conformance.Support.Validation;
using DigitalInsurance.Conformance.Support.Validation.Packages;
using DigitalInsurance.Conformance.Tests.OAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Validation;

/// <summary>
/// Packages the profile manifest names restore themselves from a FHIR package registry: here one served on loopback
/// from the team's package folder, speaking the registry's npm protocol, into an empty home's ~/.fhir/packages.
/// </summary>
[NonParallelizable]
public class FhirPackageRegistryTests
{
    private string _home = null!;
    private string FhirCache => Path.Combine(_home, ".fhir", "packages");

    [SetUp]
    public void CreateEmptyHome() => _home = Directory.CreateTempSubdirectory("dic-empty-home-").FullName;

    [TearDown]
    public void DeleteHome() => Directory.Delete(_home, recursive: true);

    private FhirPackageLocator Locator(IReadOnlyList<Uri> registries, List<string> progress) =>
        new(configuredFolder: null, FhirCache, Path.Combine(_home, ".cache", "dic-conformance", "fhir-packages"),
            new FhirPackageRegistry(registries, line => { lock (progress) progress.Add(line); }));

    [Test]
    public async Task Installs_the_manifest_packages_in_the_standard_layout_and_validation_works()
    {
        await using var registry = await LoopbackRegistry.StartAsync();
        var progress = new List<string>();
        var manifest = ProfileManifest.Load(ValidationTestEnvironment.ProfilesFolder, "1.0.0");

        var validator = await ConformanceValidator.CreateAsync(manifest, Locator([registry.Url], progress), CancellationToken.None);
        var report = validator.Validate(ValidationTestEnvironment.Example(validator, "Patient-Example-Patient1"));

        Assert.Multiple(() =>
        {
            foreach (var package in manifest.Packages)
            {
                Assert.That(File.Exists(Path.Combine(FhirCache, package, "package", "package.json")), package + " in ~/.fhir/packages/<name>#<version>/package/");
                Assert.That(progress, Has.Exactly(1).Contains($"FHIR package {package}: downloaded from").And.Contains("shasum verified"));
            }
            Assert.That(progress, Has.Count.EqualTo(manifest.Packages.Count), "one line per package");
            Assert.That(registry.Requests, Has.None.Contains("hl7.fhir.r4.core"), "R4 core ships with Firely");
            Assert.That(Directory.GetFileSystemEntries(FhirCache).Select(Path.GetFileName), Is.EquivalentTo(manifest.Packages), "no temporary files left");
            Assert.That(validator.LoadedPackages.Select(p => p.Source), Has.Some.StartsWith(FhirCache));
            Assert.That(report.ErrorCount, Is.Zero, report.ToText());
        });

        var requestsBefore = registry.Requests.Count;
        Locator([registry.Url], progress).Locate(FhirPackageId.Parse(manifest.Packages[0]));
        Assert.That(registry.Requests, Has.Count.EqualTo(requestsBefore), "an installed package is not downloaded again");
    }

    [Test]
    public async Task A_download_whose_shasum_differs_from_the_registrys_is_refused()
    {
        await using var registry = await LoopbackRegistry.StartAsync(publishedShasum: _ => "0000000000000000000000000000000000000000");
        var id = new FhirPackageId("hl7.fhir.us.core", "4.0.0");

        var error = Assert.Throws<ValidationSetupException>(() => Locator([registry.Url], []).Locate(id))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("registry " + registry.Url + " gives shasum 0000000000000000000000000000000000000000"));
            Assert.That(error.Message, Does.Contain("not installed"));
            Assert.That(error.Message, Does.Contain("fhir install hl7.fhir.us.core 4.0.0"));
            Assert.That(Directory.GetFileSystemEntries(FhirCache), Is.Empty, "nothing installed, no temporary files left");
        });
    }

    [Test]
    public void An_unreachable_registry_gives_the_message_with_the_commands_that_install_the_package()
    {
        var unreachable = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/");
        var id = new FhirPackageId("hl7.fhir.us.insurance-card", "1.0.0");

        var error = Assert.Throws<ValidationSetupException>(() => Locator([unreachable], []).Locate(id))!;

        var folder = Path.Combine(FhirCache, "hl7.fhir.us.insurance-card#1.0.0");
        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith("FHIR package hl7.fhir.us.insurance-card#1.0.0 was not found"));
            Assert.That(error.Message, Does.Contain($"GET {unreachable}hl7.fhir.us.insurance-card failed"));
            Assert.That(error.Message, Does.Contain(
                $"`mkdir -p \"{folder}\" && curl -fsSL {unreachable}hl7.fhir.us.insurance-card/1.0.0 | tar -xz -C \"{folder}\"`"));
            Assert.That(error.Message, Does.Contain("`fhir install hl7.fhir.us.insurance-card 1.0.0`"));
            Assert.That(error.Message, Does.Contain("DIC_FHIR_PACKAGES"));
        });
    }

    [Test]
    public async Task Off_in_the_environment_makes_no_request_even_with_a_registry_in_the_runsettings()
    {
        await using var registry = await LoopbackRegistry.StartAsync();
        var settings = SettingsBinder.Bind(
            new Dictionary<string, string?> { ["fhirPackageRegistry"] = registry.Url.AbsoluteUri },
            new Dictionary<string, string?> { ["DIC_FHIR_PACKAGE_REGISTRY"] = "off" });
        var progress = new List<string>();

        var error = Assert.Throws<ValidationSetupException>(() =>
            Locator(settings.Validation.PackageRegistries, progress).Locate(new FhirPackageId("hl7.fhir.us.core", "4.0.0")))!;

        Assert.Multiple(() =>
        {
            Assert.That(registry.Requests, Is.Empty);
            Assert.That(progress, Is.Empty);
            Assert.That(error.Message, Does.Contain("the package registry is off"));
            Assert.That(error.Message, Does.Contain("curl -fsSL https://packages.fhir.org/hl7.fhir.us.core/4.0.0"));
        });
    }

    [TestCase(null, "https://packages.fhir.org/,https://packages2.fhir.org/")]
    [TestCase("OFF", "")]
    [TestCase("http://127.0.0.1:8080/registry, https://mirror.example/", "http://127.0.0.1:8080/registry,https://mirror.example/")]
    public void The_registry_setting_binds_defaults_off_and_a_list(string? value, string expected)
    {
        var parameters = new Dictionary<string, string?>();
        if (value is not null) parameters["fhirPackageRegistry"] = value;

        var settings = SettingsBinder.Bind(parameters, new Dictionary<string, string?>());

        Assert.That(string.Join(",", settings.Validation.PackageRegistries.Select(u => u.AbsoluteUri)), Is.EqualTo(expected));
    }

    [Test]
    public void A_registry_setting_that_is_no_url_names_the_setting_and_the_accepted_values()
    {
        var error = Assert.Throws<SettingsException>(() => SettingsBinder.Bind(
            new Dictionary<string, string?>(), new Dictionary<string, string?> { ["DIC_FHIR_PACKAGE_REGISTRY"] = "packages.fhir.org" }))!;

        Assert.That(error.Message, Does.Contain("fhirPackageRegistry").And.Contain("off, or FHIR package registry URLs"));
    }

    /// <summary>
    /// The npm-style registry protocol over the package folder's <c>name-version.tgz</c> files: <c>GET /{name}</c> lists the
    /// versions with <c>dist.tarball</c> and <c>dist.shasum</c>; tarballs are served under /tarballs/ so the client must
    /// follow dist.tarball rather than guess the URL.
    /// </summary>
    private sealed class LoopbackRegistry : IAsyncDisposable
    {
        private static readonly Regex ArchiveName = new(@"^(?<name>.+)-(?<version>\d+\.\d+\.\d+[^/]*)\.tgz$");
        private readonly LocalWebServer _server;
        private readonly ConcurrentQueue<string> _requests;

        private LoopbackRegistry(LocalWebServer server, ConcurrentQueue<string> requests) => (_server, _requests) = (server, requests);

        public Uri Url => _server.BaseUrl;
        public IReadOnlyCollection<string> Requests => _requests;

        public static async Task<LoopbackRegistry> StartAsync(Func<string, string>? publishedShasum = null)
        {
            var folder = ValidationTestEnvironment.PackageFolder
                ?? throw new InconclusiveException("The loopback registry serves ../shared/fhir-packages or DIC_FHIR_PACKAGES; neither exists here.");
            var archives = Directory.GetFiles(folder, "*.tgz")
                .Select(f => (File: f, Match: ArchiveName.Match(Path.GetFileName(f))))
                .Where(a => a.Match.Success)
                .ToList();
            var requests = new ConcurrentQueue<string>();
            var server = await LocalWebServer.StartAsync(app =>
            {
                app.Use((context, next) => { requests.Enqueue(context.Request.Path); return next(context); });
                app.MapGet("/tarballs/{file}", (string file) =>
                    archives.Any(a => Path.GetFileName(a.File) == file)
                        ? Results.File(File.ReadAllBytes(Path.Combine(folder, file)), "application/gzip")
                        : Results.NotFound());
                app.MapGet("/{name}", (string name, HttpRequest request) =>
                {
                    var versions = archives.Where(a => a.Match.Groups["name"].Value == name).ToDictionary(
                        a => a.Match.Groups["version"].Value,
                        a => new
                        {
                            name,
                            version = a.Match.Groups["version"].Value,
                            dist = new
                            {
                                tarball = $"{request.Scheme}://{request.Host}/tarballs/{Path.GetFileName(a.File)}",
                                shasum = publishedShasum?.Invoke(a.File) ?? Convert.ToHexStringLower(SHA1.HashData(File.ReadAllBytes(a.File))),
                            },
                        });
                    return versions.Count == 0 ? Results.NotFound() : Results.Text(JsonSerializer.Serialize(new { name, versions }), "application/json");
                });
            });
            return new LoopbackRegistry(server, requests);
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }
}
