@authorization @smart-standalone-launch
Feature: Authorization rules: what the authorization server refuses, and what it grants by default
  Beyond the happy path, the health plan's authorization server must protect the member and the app:
  it refuses a redirect_uri the app never registered without sending the browser there (RFC 6749
  section 3.1.2.4), it tells the app when the member denies access (error=access_denied, with the
  app's state), and it grants its documented default scope when the app asks for none (RFC 6749
  section 3.3). Each scenario runs its own launch.

  @req:smart-redirect-uri-registered @severity:critical
  Scenario: A redirect_uri the app never registered is refused at the authorization server
    The redirect_uri sent is the registered one with one extra path segment, so only an exact
    comparison tells them apart.
    Given the app requests access with scope "patient/*.read" and a redirect_uri it never registered
    When the member opens the authorization page
    Then the authorization server refuses the request on its own page
    And nothing is sent to the unregistered redirect_uri

  @req:smart-authorization-denied
  Scenario: A member who denies access sends the app back with access_denied and its state
    Given the app requests access with scope "patient/*.read" and a fresh state
    When the member opens the authorization page
    And the member creates an account with their member attributes and an email address unique to this run
    And the member enters the verification code sent to that email address
    And the member denies the app access
    Then the app is sent back to its redirect URI with error access_denied and exactly the state it sent

  @req:smart-scope-default
  Scenario: A request without scope is granted the default scope, no more and no less
    The health plan documents "patient/*.read" as its default. RFC 6749 also lets it refuse the request
    with invalid_scope: that refusal conforms and ends the scenario as skipped, since there is no default
    grant to check; any other refusal fails.
    Scopes are compared by what they allow (patient/*.rs is the same grant as patient/*.read).
    Given the member has authorized the app in a launch of its own whose request has no scope parameter
    When the app exchanges the authorization code for a token
    Then the first exchange was granted an access token
    And the token response grants the default scope "patient/*.read": all of it and nothing beyond it

  @req:smart-aud-checked @severity:critical
  Scenario: A request for another FHIR server's token (a wrong aud) gets no authorization code
    SMART's aud names the FHIR server the app wants a token for, so that a genuine token never goes to a
    counterfeit one. The health plan may refuse at once, with an error redirect or a page of its own, or after
    sign-in; what it must not do is give the app a code.
    Given the app requests access with an aud naming a FHIR server other than the health plan's
    When the member goes through the authorization as far as the authorization server lets them
    Then the app receives no authorization code

  @req:smart-pkce-plain-refused
  Scenario: A PKCE challenge with the plain method gets no authorization code
    SMART servers SHALL NOT support the plain method, whose challenge is the verifier itself. Skipped, with
    the reason, when the run sends no PKCE challenge (setting usePkce).
    Given the app requests access with a PKCE challenge whose code_challenge_method is plain
    When the member goes through the authorization as far as the authorization server lets them
    Then the app receives no authorization code
