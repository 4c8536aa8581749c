using DigitalInsurance.Conformance.Support.Configuration;

namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>
/// The browser state (cookies, storage) a member's first completed launch of the run leaves behind, per member. A later
/// launch that needs only a code of its own, not the enrollment, starts from it as a returning member: where the payer
/// keeps the member signed in (the sandbox does, for 30 minutes) it goes straight to consent; where it shows the
/// sign-in or enrollment page again, the launch enrolls in full as before. See support/session/README.md.
/// </summary>
public sealed class ReturningMembers
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<MemberSettings, string> _signedIn = new();

    /// <summary>The member's signed-in browser state, if a launch of theirs has completed in this run.</summary>
    public string? SignedInStateOf(MemberSettings member) => _signedIn.GetValueOrDefault(member);

    /// <summary>Keeps the first state a member's completed launch leaves; later ones are the same member's and add nothing.</summary>
    public void Remember(MemberSettings member, string signedInState) => _signedIn.TryAdd(member, signedInState);
}
