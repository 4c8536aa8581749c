using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NUnit.Framework;

namespace DigitalInsurance.Conformance.Tests.Mail;

/// <summary>
/// A real mail server for the tests: Debian's Dovecot (apt-get install dovecot-imapd dovecot-lmtpd), started in the
/// foreground from a configuration generated in a temporary folder, serving one mailbox over plain IMAP and over IMAPS
/// with a self-signed certificate, on free loopback ports. Mail reaches it by SMTP: an SMTP listener in the test process
/// hands each message to Dovecot's LMTP service, the way an MTA would (<see cref="SmtpToLmtpRelay"/>).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class DovecotMailServer : IAsyncDisposable
{
    public const string Domain = "dic-conformance.example";
    public const string User = "member@" + Domain;
    private const string DovecotBinary = "/usr/sbin/dovecot";
    private const string LmtpBinary = "/usr/lib/dovecot/lmtp";

    private readonly string _folder;
    private readonly Process _process;
    private readonly SmtpToLmtpRelay _relay;

    private DovecotMailServer(string folder, Process process, SmtpToLmtpRelay relay, string password, int imapPort, int imapsPort, int lmtpPort)
    {
        _folder = folder;
        _process = process;
        _relay = relay;
        Password = password;
        ImapPort = imapPort;
        ImapsPort = imapsPort;
        LmtpPort = lmtpPort;
    }

    public string Host => "127.0.0.1";
    public string Password { get; }
    /// <summary>Plain IMAP (no TLS).</summary>
    public int ImapPort { get; }
    /// <summary>IMAP over TLS from the first byte, with a self-signed certificate for CN=localhost.</summary>
    public int ImapsPort { get; }
    public int LmtpPort { get; }
    /// <summary>Where to deliver mail by SMTP (any recipient <c>member+anything@dic-conformance.example</c> lands in the one mailbox).</summary>
    public int SmtpPort => _relay.Port;

    public static async Task<DovecotMailServer> StartAsync()
    {
        if (!File.Exists(DovecotBinary) || !File.Exists(LmtpBinary))
            Assert.Fail("Dovecot is not installed: run `apt-get install -y dovecot-imapd dovecot-lmtpd` (the CI script does).");

        var folder = Directory.CreateTempSubdirectory("dic-dovecot-").FullName;
        // Dovecot's unprivileged processes must reach the sockets, configuration and mail below it.
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        int imapPort = LoopbackPorts.Free(), imapsPort = LoopbackPorts.Free(), lmtpPort = LoopbackPorts.Free();
        var config = WriteConfiguration(folder, password, imapPort, imapsPort, lmtpPort);

        var start = new ProcessStartInfo(DovecotBinary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-F", "-c", config }) start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await Listens(imapPort) && await Listens(imapsPort) && await Listens(lmtpPort)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                var log = File.Exists(Path.Combine(folder, "dovecot.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "dovecot.log")) : "";
                Assert.Fail($"Dovecot did not start (exit code {(process.HasExited ? process.ExitCode : -1)}):\n{output}\n{log}");
            }
            await Task.Delay(100);
        }
        var relay = await SmtpToLmtpRelay.StartAsync(IPAddress.Loopback, lmtpPort);
        return new DovecotMailServer(folder, process, relay, password, imapPort, imapsPort, lmtpPort);
    }

    /// <summary>Dovecot's log so far, for failure messages.</summary>
    public string Log => File.Exists(Path.Combine(_folder, "dovecot.log")) ? File.ReadAllText(Path.Combine(_folder, "dovecot.log")) : "";

    private static string WriteConfiguration(string folder, string password, int imapPort, int imapsPort, int lmtpPort)
    {
        foreach (var sub in new[] { "run", "state", "mail" }) Directory.CreateDirectory(Path.Combine(folder, sub));
        var mail = Path.Combine(folder, "mail");

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var alternativeNames = new SubjectAlternativeNameBuilder();
        alternativeNames.AddDnsName("localhost");
        alternativeNames.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(alternativeNames.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        File.WriteAllText(Path.Combine(folder, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(folder, "users"), $"{User}:{{PLAIN}}{password}::::::\n");

        // As root (CI), Dovecot drops privileges to its own users and stores mail as "dovecot"; as anyone else it runs
        // entirely as that user, without chroot.
        string privileges;
        if (Environment.IsPrivilegedProcess)
        {
            File.SetUnixFileMode(mail, (UnixFileMode)0b111_111_111); // the "dovecot" user creates the mailbox below it
            privileges = "userdb {\n  driver = static\n  args = uid=dovecot gid=dovecot home=" + mail + "/%n\n}\n";
        }
        else
        {
            var user = Environment.UserName;
            privileges = $"default_internal_user = {user}\ndefault_login_user = {user}\ndefault_internal_group = {GroupName()}\n" +
                "service anvil {\n  chroot =\n}\nservice imap-login {\n  chroot =\n}\n" +
                $"userdb {{\n  driver = static\n  args = uid={getuid()} gid={getgid()} home={mail}/%n\n}}\n";
        }

        var config = Path.Combine(folder, "dovecot.conf");
        File.WriteAllText(config, $$"""
            base_dir = {{folder}}/run
            state_dir = {{folder}}/state
            instance_name = dic-dovecot-{{Path.GetFileName(folder)}}
            log_path = {{folder}}/dovecot.log
            protocols = imap lmtp
            listen = 127.0.0.1
            ssl = yes
            ssl_cert = <{{folder}}/cert.pem
            ssl_key = <{{folder}}/key.pem
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            mail_location = maildir:~/Maildir
            recipient_delimiter = +
            lmtp_save_to_detail_mailbox = no
            postmaster_address = postmaster@{{Domain}}
            # Mail is stored as a system user ("dovecot" as root): allow its low uid.
            first_valid_uid = 1
            first_valid_gid = 1
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{folder}}/users
            }
            {{privileges}}
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{imapPort}}
              }
              inet_listener imaps {
                address = 127.0.0.1
                port = {{imapsPort}}
                ssl = yes
              }
            }
            service lmtp {
              inet_listener lmtp {
                address = 127.0.0.1
                port = {{lmtpPort}}
              }
            }
            """);
        return config;
    }

    private static async Task<bool> Listens(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string GroupName()
    {
        var gid = getgid().ToString();
        foreach (var line in File.ReadLines("/etc/group"))
        {
            var fields = line.Split(':');
            if (fields.Length > 2 && fields[2] == gid) return fields[0];
        }
        return Environment.UserName;
    }

    [DllImport("libc")]
    private static extern uint getuid();

    [DllImport("libc")]
    private static extern uint getgid();

    public async ValueTask DisposeAsync()
    {
        await _relay.DisposeAsync();
        if (!_process.HasExited)
        {
            // SIGTERM via Dovecot's own stop command lets the master stop its children; kill only if it does not.
            try
            {
                await ChildProcess.RunAsync(DovecotBinary, ["-c", Path.Combine(_folder, "dovecot.conf"), "stop"],
                    new ChildProcessOptions { Timeout = TimeSpan.FromSeconds(10) });
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
