using System.Security.Cryptography;
using DemoHealthPlan.Sandbox.Faults;
using DemoHealthPlan.Sandbox.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>
/// The authorization server's RSA keys, kept as PEM files: generating RSA keys costs seconds of CPU here (OpenIddict's
/// ephemeral keys make the first request that slow), and persisted keys keep tokens valid across restarts.
/// A configured state folder holds its own keys; sandboxes on a temporary state folder (tests) share one key folder
/// next to their temporary folders, so only the first of them on a machine generates keys.
/// </summary>
internal sealed record SandboxKeys(RsaSecurityKey Signing, RsaSecurityKey Encryption)
{
    public const string SigningKeyFile = "signing-key.pem";
    public const string EncryptionKeyFile = "encryption-key.pem";

    public static SandboxKeys LoadOrCreate(SandboxSettings settings)
    {
        var folder = settings.StateFolderIsTemporary
            ? Path.Combine(Path.GetDirectoryName(settings.StateFolder)!, "shared-keys")
            : settings.StateFolder;
        Directory.CreateDirectory(folder);
        return LoadOrCreate(folder);
    }

    public static SandboxKeys LoadOrCreate(string folder) =>
        new(LoadOrCreateKey(Path.Combine(folder, SigningKeyFile)), LoadOrCreateKey(Path.Combine(folder, EncryptionKeyFile)));

    private static RsaSecurityKey LoadOrCreateKey(string path)
    {
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            try
            {
                rsa.ImportFromPem(File.ReadAllText(path));
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw new SandboxConfigurationException(
                    $"'{path}' is not an RSA private key in PEM format ({e.Message}). Delete it and the sandbox makes a new one.");
            }
        }
        else
        {
            rsa.KeySize = 2048;
            var pem = rsa.ExportPkcs8PrivateKeyPem();
            // Written to a temporary name first so a sandbox started concurrently on the same folder never reads half a key.
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temporary, pem);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
                return LoadOrCreateKey(path);
            }
        }

        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }
}
