@token @smart-standalone-launch
Feature: Token endpoint rules: what the token endpoint grants and what it must refuse
  The token endpoint is where a stolen or replayed authorization code would be turned into an
  access token, so it must check everything it is given (RFC 6749 sections 4.1.2, 4.1.3 and 5.2):
  the client's secret, that a code is used once, that the redirect_uri is the one of the authorization
  request, and that the code is still within its lifetime. Each scenario runs its own launch, since
  it needs a code of its own. Refusals are HTTP 400 with a JSON error (invalid_client may be 401, and
  must be 401 with a WWW-Authenticate header when the client authenticated with HTTP Basic).

  @req:smart-scope-not-wider
  Scenario: The token grants no scope beyond what the app asked for
    The app asks for less than the default, so a server that grants its default regardless is caught.
    Given the member has authorized the app with scope "patient/Patient.read" in a launch of its own
    When the app exchanges the authorization code for a token
    Then the first exchange was granted an access token
    And the token response grants no scope beyond those the app asked for

  @req:smart-token-client-authentication @severity:critical
  Scenario: A wrong client secret is refused with invalid_client
    Given the member has authorized the app in a launch of its own
    When the app exchanges the authorization code presenting a wrong client secret
    Then the token endpoint refuses the request with error "invalid_client"

  @req:smart-code-single-use @severity:critical
  Scenario: An authorization code can be exchanged only once
    Given the member has authorized the app in a launch of its own
    When the app exchanges the authorization code for a token
    And the app exchanges the same authorization code again
    Then the first exchange was granted an access token
    And the token endpoint refuses the request with error "invalid_grant"

  @req:smart-token-redirect-uri @severity:critical
  Scenario: The code is refused with a redirect_uri other than the authorization request's
    Given the member has authorized the app in a launch of its own
    When the app exchanges the authorization code with a redirect_uri other than the one it authorized with
    Then the token endpoint refuses the request with error "invalid_grant"

  @req:smart-code-expiry @slow
  Scenario: An authorization code is refused after its lifetime
    Against an external payer the scenario waits the code lifetime plus a margin after the redirect (setting
    codeLifetimeSeconds, default 300); against the embedded sandbox it advances the sandbox's clock by as much
    (the lifetime the running sandbox reports: sandboxCodeLifetimeSeconds, or its own default) instead of waiting.
    Given the member has authorized the app in a launch of its own
    When the authorization code's lifetime has passed
    And the app exchanges the outlived authorization code
    Then the token endpoint refuses the request with error "invalid_grant"

  @req:smart-pkce-verifier @severity:critical
  Scenario: A code issued for a PKCE challenge is refused with a code_verifier that does not match it
    SMART servers SHALL support PKCE with S256, and RFC 7636 section 4.6 has the token endpoint compare the
    code_verifier with the challenge the code was issued for: a stolen code is worthless without the verifier.
    Skipped, with the reason, when the run sends no PKCE challenge (setting usePkce).
    Given the member has authorized the app with a PKCE challenge in a launch of its own
    When the app exchanges the authorization code presenting a code_verifier other than the one its challenge was made from
    Then the token endpoint refuses the request with error "invalid_grant"

  @req:smart-pkce-verifier
  Scenario: A code issued for a PKCE challenge is refused without its code_verifier
    A missing parameter may be answered invalid_request (RFC 6749 section 5.2) as well as invalid_grant.
    Skipped, with the reason, when the run sends no PKCE challenge (setting usePkce).
    Given the member has authorized the app with a PKCE challenge in a launch of its own
    When the app exchanges the authorization code without its code_verifier
    Then the token endpoint refuses the request with error "invalid_grant" or "invalid_request"

  @req:smart-scope-enforced @severity:critical
  Scenario: A token granted only the member's Patient cannot search their Coverage
    A scope is what the member consented to: the token is good for that and nothing else. The C4DIC
    CapabilityStatement names 403 for insufficient scopes (401 also refuses).
    Given the member has authorized the app with scope "patient/Patient.read" in a launch of its own
    When the app exchanges the authorization code for a token
    Then the first exchange was granted an access token
    And a search for the member's Coverage with that token is refused with 403 or 401
