using DemoHealthPlan.Sandbox.Enrollment;
using Microsoft.EntityFrameworkCore;

namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>
/// The sandbox's SQLite store: OpenIddict's applications, authorizations and tokens (added by <c>UseOpenIddict()</c>)
/// next to member accounts and pending email verifications.
/// </summary>
public sealed class SandboxDbContext(DbContextOptions<SandboxDbContext> options) : DbContext(options)
{
    public DbSet<MemberAccount> MemberAccounts => Set<MemberAccount>();

    public DbSet<PendingVerification> PendingVerifications => Set<PendingVerification>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<MemberAccount>(account =>
        {
            account.HasIndex(a => a.Email).IsUnique();
            account.HasIndex(a => a.PatientId);
        });
        modelBuilder.Entity<PendingVerification>(pending =>
        {
            pending.HasKey(p => p.Id);
            pending.Property(p => p.Purpose).HasConversion<string>();
        });
    }
}
