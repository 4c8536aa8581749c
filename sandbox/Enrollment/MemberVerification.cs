using System.Security.Cryptography;
using System.Text;
using DemoHealthPlan.Sandbox.Auth;
using DemoHealthPlan.Sandbox.Hosting;
using DemoHealthPlan.Sandbox.Mail;
using Microsoft.EntityFrameworkCore;

namespace DemoHealthPlan.Sandbox.Enrollment;

/// <summary>Issues 6-digit email verification codes and checks what the member types, with limited tries and a lifetime.</summary>
internal sealed class MemberVerification(SandboxDbContext database, VerificationMailer mailer, SandboxSettings settings, TimeProvider time, IssuedCredentialsLog issuedCredentials)
{
    /// <summary>Creates a pending verification and emails its code. Nothing is kept when the mail cannot be delivered.</summary>
    /// <exception cref="MailDeliveryException"/>
    public async Task<PendingVerification> StartAsync(string email, string patientId, VerificationPurpose purpose, CancellationToken cancellationToken)
    {
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        var pending = new PendingVerification
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Email = email,
            PatientId = patientId,
            Purpose = purpose,
            CodeHash = "",
            ExpiresAt = time.GetUtcNow() + settings.VerificationCodeLifetime,
        };
        pending.CodeHash = Hash(pending.Id, code);

        issuedCredentials.Record("member email", email);
        issuedCredentials.Record("verification code", code);
        await mailer.SendCodeAsync(email, code, settings.VerificationCodeLifetime, cancellationToken);
        database.PendingVerifications.Add(pending);
        await database.SaveChangesAsync(cancellationToken);
        return pending;
    }

    public Task<PendingVerification?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.PendingVerifications.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);

    public async Task<VerificationOutcome> CheckAsync(string id, string typedCode, CancellationToken cancellationToken)
    {
        var pending = await FindAsync(id, cancellationToken);
        if (pending is null) return new VerificationOutcome.Unknown();

        if (time.GetUtcNow() >= pending.ExpiresAt)
        {
            await RemoveAsync(pending, cancellationToken);
            return new VerificationOutcome.Expired();
        }

        var typedHash = Hash(pending.Id, new string(typedCode.Where(char.IsAsciiDigit).ToArray()));
        if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(typedHash), Encoding.ASCII.GetBytes(pending.CodeHash)))
        {
            await RemoveAsync(pending, cancellationToken);
            return new VerificationOutcome.Verified(pending);
        }

        pending.FailedAttempts++;
        var triesLeft = settings.MaxVerificationAttempts - pending.FailedAttempts;
        if (triesLeft <= 0)
        {
            await RemoveAsync(pending, cancellationToken);
            return new VerificationOutcome.TooManyAttempts();
        }
        await database.SaveChangesAsync(cancellationToken);
        return new VerificationOutcome.WrongCode(pending, triesLeft);
    }

    private async Task RemoveAsync(PendingVerification pending, CancellationToken cancellationToken)
    {
        database.PendingVerifications.Remove(pending);
        await database.SaveChangesAsync(cancellationToken);
    }

    private static string Hash(string id, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id + ":" + code)));
}

internal abstract record VerificationOutcome
{
    public sealed record Verified(PendingVerification Pending) : VerificationOutcome;
    public sealed record WrongCode(PendingVerification Pending, int TriesLeft) : VerificationOutcome;
    public sealed record TooManyAttempts : VerificationOutcome;
    public sealed record Expired : VerificationOutcome;
    public sealed record Unknown : VerificationOutcome;
}
