@token @openid @smart-standalone-launch
Feature: OpenID Connect id_token: the app learns who signed in
  An app that asks for "openid fhirUser" receives an id_token with the access token. SMART App Launch
  ("Steps for using an ID token") has the app find the issuer's OpenID configuration and keys, check
  the signature and claims as OpenID Connect Core 3.1.3.7 describes, and treat the fhirUser claim as
  the URL of the FHIR resource representing the user: here the member, the patient in context of the
  same token response. The OpenID configuration must name the issuer it was fetched for (the SMART
  configuration's), and the id_token's iss must be that issuer. The app sends a nonce, which the id_token
  must echo (OpenID Connect Core 2), as it must state its issue time (iat) and, with azp, the app as the party
  it was issued to. Evidence shows the decoded claims, never the token.

  @req:smart-id-token @req:smart-fhiruser @req:smart-id-token-iat @req:smart-id-token-azp @req:smart-id-token-nonce @patient
  Scenario: The id_token is signed by the issuer for the app and its fhirUser is the member or their representative
    A payer whose SMART configuration does not advertise sso-openid-connect issues no id_token: the scenario is then
    skipped with that reason, before any launch.
    Given the payer's SMART configuration advertises "sso-openid-connect"
    And the member has authorized the app with scope "openid fhirUser patient/*.read" in a launch of its own
    When the app exchanges the authorization code for a token
    Then the first exchange was granted an access token
    And the token response carries an id_token
    And the id_token is signed with RS256 by a key in the issuer's JWKS and names the issuer, the app as audience, a future expiry and a subject
    And the id_token's fhirUser is the patient in context the token response names, or a RelatedPerson of theirs, and the access token can read it
    And the id_token says when it was issued, a time not in the future
    And the id_token's azp, if it has one, is the app's client_id
    And the id_token carries the nonce the app sent
