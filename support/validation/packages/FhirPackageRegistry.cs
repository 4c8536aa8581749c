using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace DigitalInsurance.Conformance.Support.Validation.Packages;

/// <summary>
/// Installs FHIR packages from a FHIR package registry into the FHIR tools' package cache, as <c>fhir install</c> does.
/// The registry speaks the npm protocol: <c>GET {registry}/{name}</c> answers the versions, each with
/// <c>dist.tarball</c> (the .tgz) and <c>dist.shasum</c> (SHA-1 hex of the .tgz).
/// </summary>
/// <remarks>
/// Registries are tried in order; a package goes into <c>{cache}/{name}#{version}/package/…</c>, extracted into a
/// private folder first and renamed into place, so another tool or run never sees half a package.
/// </remarks>
internal sealed class FhirPackageRegistry
{
    public const string SettingHint = "the runsettings parameter fhirPackageRegistry or the environment variable DIC_FHIR_PACKAGE_REGISTRY";

    public static IReadOnlyList<Uri> Defaults => Configuration.ValidationSettings.DefaultPackageRegistries;

    private static readonly HttpClient SharedHttp = CreateHttpClient();

    private readonly HttpClient _http;
    private readonly Action<string> _progress;

    /// <param name="registries">Tried in order; empty when the registry is off (offline runs).</param>
    /// <param name="progress">Receives one line per installed package.</param>
    public FhirPackageRegistry(IReadOnlyList<Uri> registries, Action<string> progress, HttpClient? http = null)
    {
        Registries = registries.Select(r => r.AbsoluteUri.EndsWith('/') ? r : new Uri(r.AbsoluteUri + "/")).ToList();
        _progress = progress;
        _http = http ?? SharedHttp;
    }

    public IReadOnlyList<Uri> Registries { get; }

    public bool IsOff => Registries.Count == 0;

    /// <summary>The package as the registry serves it: where a user gets it by hand.</summary>
    public Uri TarballUrl(FhirPackageId id) => new(Registries.Count > 0 ? Registries[0] : Defaults[0], $"{id.Name}/{id.Version}");

    /// <summary>Downloads, verifies and installs <paramref name="id"/> into <paramref name="cacheFolder"/>.</summary>
    /// <returns>The installed <c>name#version</c> folder.</returns>
    /// <exception cref="FhirPackageDownloadException">No registry delivered the package intact; the message says why for each.</exception>
    public string Install(FhirPackageId id, string cacheFolder)
    {
        var failures = new List<string>();
        foreach (var registry in Registries)
        {
            try
            {
                return InstallFrom(registry, id, cacheFolder);
            }
            catch (FhirPackageDownloadException e)
            {
                failures.Add(e.Message);
            }
        }
        throw new FhirPackageDownloadException(string.Join("; ", failures));
    }

    private string InstallFrom(Uri registry, FhirPackageId id, string cacheFolder)
    {
        var (tarball, shasum) = FindVersion(registry, id);
        Directory.CreateDirectory(cacheFolder);
        var download = Path.Combine(cacheFolder, $".download-{Guid.NewGuid():N}.tgz");
        try
        {
            var (size, sha1) = Download(tarball, download);
            if (shasum is not null && !string.Equals(sha1, shasum, StringComparison.OrdinalIgnoreCase))
                throw new FhirPackageDownloadException(
                    $"{tarball} has SHA-1 {sha1}, but the registry {registry} gives shasum {shasum} for {id}: the download is not the published package, so it was not installed");

            var target = Path.Combine(cacheFolder, id.ToString());
            try
            {
                FhirPackageArchive.ExtractAtomically(download, target);
            }
            catch (ValidationSetupException e)
            {
                throw new FhirPackageDownloadException($"{tarball}: {e.Message}");
            }
            _progress($"FHIR package {id}: downloaded from {registry.GetLeftPart(UriPartial.Authority)} ({size / 1024} KiB, " +
                $"{(shasum is null ? "the registry gives no shasum to check" : "shasum verified")}) into {target}");
            return target;
        }
        finally
        {
            File.Delete(download);
        }
    }

    private (Uri Tarball, string? Shasum) FindVersion(Uri registry, FhirPackageId id)
    {
        var listing = new Uri(registry, id.Name);
        JsonDocument document;
        try
        {
            using var response = Send(listing, "application/json");
            if (!response.IsSuccessStatusCode)
                throw new FhirPackageDownloadException($"GET {listing} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            using var stream = response.Content.ReadAsStream();
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new FhirPackageDownloadException($"GET {listing} did not answer a package listing as JSON ({e.Message})");
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("versions", out var versions) || versions.ValueKind != JsonValueKind.Object)
                throw new FhirPackageDownloadException($"GET {listing} answered no \"versions\" object");
            if (!versions.TryGetProperty(id.Version, out var version))
                throw new FhirPackageDownloadException(
                    $"the registry {registry} has no version {id.Version} of {id.Name} (it has {string.Join(", ", versions.EnumerateObject().Select(v => v.Name))})");
            var dist = version.TryGetProperty("dist", out var d) ? d : default;
            var tarball = dist.ValueKind == JsonValueKind.Object && dist.TryGetProperty("tarball", out var t) ? t.GetString() : null;
            var shasum = dist.ValueKind == JsonValueKind.Object && dist.TryGetProperty("shasum", out var s) ? s.GetString() : null;
            // Registries that omit dist.tarball serve the package at {registry}/{name}/{version}.
            return (tarball is null ? new Uri(registry, $"{id.Name}/{id.Version}") : new Uri(registry, tarball), shasum);
        }
    }

    private (long Size, string Sha1) Download(Uri tarball, string file)
    {
        using var response = Send(tarball, "application/gzip, application/octet-stream, */*");
        if (!response.IsSuccessStatusCode)
            throw new FhirPackageDownloadException($"GET {tarball} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        long size = 0;
        using (var body = response.Content.ReadAsStream())
        using (var output = File.Create(file))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = body.Read(buffer)) > 0)
            {
                sha1.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
                size += read;
            }
        }
        return (size, Convert.ToHexStringLower(sha1.GetHashAndReset()));
    }

    private HttpResponseMessage Send(Uri url, string accept)
    {
        try
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            return _http.Send(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            throw new FhirPackageDownloadException($"GET {url} failed ({(e is TaskCanceledException ? "timed out" : e.Message)})");
        }
    }

    private static HttpClient CreateHttpClient()
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("dic-conformance", "1"));
        return http;
    }
}

/// <summary>A registry could not deliver a package; the message says which request failed and how.</summary>
internal sealed class FhirPackageDownloadException(string message) : Exception(message);
