using System.Net.Sockets;
using DemoHealthPlan.Sandbox.Hosting;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace DemoHealthPlan.Sandbox.Mail;

/// <summary>Sends verification codes by SMTP to the server configured as Sandbox:Smtp (no TLS, no login: a local relay).</summary>
public sealed class VerificationMailer(SandboxSettings settings)
{
    public const string Subject = "Your Demo Health Plan verification code";
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Where mail goes, as shown to operators and on the delivery error page.</summary>
    public string Destination => $"{settings.SmtpHost}:{settings.SmtpPort}";

    /// <exception cref="MailDeliveryException">The SMTP server could not be reached or refused the message.</exception>
    public async Task SendCodeAsync(string recipient, string code, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.MailFrom));
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Subject = Subject;
        message.Body = new TextPart("plain")
        {
            Text = $"""
                Your Demo Health Plan verification code is {code}.

                Enter it on the sign-in page within {Math.Max(1, (int)validFor.TotalMinutes)} minutes. If you did not ask for it, ignore this email.

                Demo Health Plan (sandbox)
                """,
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        using var client = new SmtpClient { Timeout = (int)SendTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.SmtpHost, settings.SmtpPort, SecureSocketOptions.None, timeout.Token);
            await client.SendAsync(message, timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MailDeliveryException(Destination, $"no answer within {SendTimeout.TotalSeconds:0} seconds");
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpCommandException or SmtpProtocolException
                                      or ServiceNotConnectedException or SslHandshakeException or TimeoutException)
        {
            throw new MailDeliveryException(Destination, e.Message);
        }
    }
}

/// <summary>A verification email could not be handed to the SMTP server.</summary>
public sealed class MailDeliveryException(string destination, string reason)
    : Exception($"The verification email could not be delivered to {destination}: {reason}")
{
    public string Destination { get; } = destination;
    public string Reason { get; } = reason;
}
