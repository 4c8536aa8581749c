namespace DemoHealthPlan.Sandbox.Enrollment;

/// <summary>A member's online account: the verified email they sign in with, linked to the Patient they are.</summary>
public sealed class MemberAccount
{
    public int Id { get; set; }

    /// <summary>Lower-cased; unique across accounts.</summary>
    public required string Email { get; set; }

    public required string PatientId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public enum VerificationPurpose
{
    /// <summary>Proving the email of a new account; the account is created once the code is entered.</summary>
    CreateAccount = 1,

    /// <summary>A returning member signing in with an existing account's email.</summary>
    SignIn = 2,
}

/// <summary>A verification code sent by email and not yet entered. Only the code's hash is stored.</summary>
public sealed class PendingVerification
{
    /// <summary>Random, unguessable; carried by the verification form.</summary>
    public required string Id { get; set; }

    public required string Email { get; set; }

    public required string PatientId { get; set; }

    public required VerificationPurpose Purpose { get; set; }

    public required string CodeHash { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public int FailedAttempts { get; set; }
}
