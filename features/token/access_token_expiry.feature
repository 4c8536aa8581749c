@token @smart-standalone-launch @serial @outlives-tokens
Feature: Access token expiry: a token stops opening the FHIR API once its stated lifetime has passed
  The token response's expires_in is the access token's lifetime, counted from the response (RFC 6749 section 5.1).
  After it the token is expired, and the FHIR API must refuse it with 401 (RFC 6750 section 3.1, invalid_token), so
  a leaked token is worth nothing for long. Against the embedded sandbox the harness advances the sandbox's clock
  instead of waiting; against an external payer it waits for real, and says so on the console first. Either way
  every access token the run holds is expired afterwards, the shared one too, so this feature runs after every other
  feature, the write probes included, one scenario at a time, with a launch of its own.

  @req:smart-access-token-expiry @slow @patient
  Scenario: An access token is refused with 401 once the lifetime its token response stated has passed
    The lifetime is expires_in plus 5 minutes and 2 seconds, the clock skew JWT validators commonly allow. Skipped,
    with the reason, when the token response states no expires_in.
    Given the member has authorized the app in a launch of its own
    When the app exchanges the authorization code for a token
    And the app reads the member's Patient with that token
    And the lifetime the token response stated for the access token has passed
    And the app reads the member's Patient again with the outlived token
    Then the first exchange was granted an access token
    And the read within the token's lifetime was served
    And the read with the outlived token is refused with 401
