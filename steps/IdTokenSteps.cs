using DigitalInsurance.Conformance.Support.Rules;
using DigitalInsurance.Conformance.Support.Session;
using Reqnroll;

namespace DigitalInsurance.Conformance.Steps;

[Binding]
public sealed class IdTokenSteps(IdTokenRules review)
{
    [Then("the token response carries an id_token")]
    public void ThenThereIsAnIdToken() => review.RequireIdToken();

    [Then("the id_token is signed with RS256 by a key in the issuer's JWKS and names the issuer, the app as audience, a future expiry and a subject")]
    public Task ThenTheIdTokenVerifies() => review.RequireVerifiedAsync();

    [Then("the id_token's fhirUser is the patient in context the token response names, or a RelatedPerson of theirs, and the access token can read it")]
    public Task ThenFhirUserIsReadable() => review.RequireFhirUserIsMemberOrRepresentativeAsync();

    [Then("the id_token says when it was issued, a time not in the future")]
    public void ThenIatIsNotInTheFuture() => review.RequireIssuedAtNotInFuture();

    [Then("the id_token's azp, if it has one, is the app's client_id")]
    public void ThenAzpIsTheClient() => review.RequireAuthorizedPartyIsClient();

    [Then("the id_token carries the nonce the app sent")]
    public void ThenTheNonceIsEchoed() => review.RequireNonceEchoed();
}
