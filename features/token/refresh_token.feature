@token @refresh-token @smart-standalone-launch
Feature: Refresh tokens: the app keeps access without the member, never more than the member granted
  An app that asks for offline_access may be given a refresh token with its access token (SMART App Launch 2.x,
  capability permission-offline: "support for refresh tokens (requested by offline_access scope)"). With it the app
  asks the token endpoint for a new access token (RFC 6749 section 6): without a scope it gets the scope originally
  granted, with a narrower scope no more than that, and never a scope the member did not grant. The answer carries
  tokens, so it must not be cached (section 5.1), and a refresh token the payer never issued is refused with
  invalid_grant (section 5.2). Each scenario runs a launch of its own and refreshes its own grant once, so a payer
  that rolls refresh tokens or revokes a grant on replay touches no other scenario's tokens. A payer that neither
  advertises permission-offline nor issues a refresh token for offline_access offers no refresh tokens: every
  scenario is then skipped with that reason, after its code exchange.

  @req:smart-refresh-token @req:smart-refresh-no-store
  Scenario: A refresh without a scope is granted a new access token, in an answer that must not be cached
    Given the member has authorized the app with scope "patient/*.read offline_access" in a launch of its own
    And the app has exchanged the authorization code for a token that carries a refresh token
    When the app refreshes the access token without a scope
    Then the refresh without a scope is granted a new access token
    And the refresh response has the headers Cache-Control no-store and Pragma no-cache

  @req:smart-refresh-narrower-scope @patient @coverage
  Scenario: A refresh asking for a narrower scope is granted no more than it asked for
    The member granted the member's Patient and Coverage; the app asks for the Patient only. A response without scope
    means the scope asked for (RFC 6749 section 5.1), so the refreshed token must then reach no further.
    Given the member has authorized the app with scope "patient/Patient.read patient/Coverage.read offline_access" in a launch of its own
    And the app has exchanged the authorization code for a token that carries a refresh token
    When the app refreshes the access token asking for scope "patient/Patient.read"
    Then the refresh asking for the narrower scope is granted a new access token
    And the refreshed token's scope is within the narrower scope
    And the refreshed token reads the member's Patient
    And a search for the member's Coverage with the refreshed token is refused with 403 or 401

  @req:smart-refresh-scope-not-wider @coverage
  Scenario: A refresh never grants a scope the member did not grant
    The member granted the member's Patient only; the app asks for their Coverage too. RFC 6749 section 6 forbids the
    request, so the payer refuses it (invalid_scope, or invalid_grant), or grants no more than the original grant.
    Given the member has authorized the app with scope "patient/Patient.read offline_access" in a launch of its own
    And the app has exchanged the authorization code for a token that carries a refresh token
    When the app refreshes the access token asking for scope "patient/Patient.read patient/Coverage.read offline_access"
    Then the refresh asking for more than was granted is refused, or granted nothing beyond the original grant

  @req:smart-refresh-invalid-grant
  Scenario: A refresh token the payer never issued is refused with invalid_grant
    Given the member has authorized the app with scope "patient/*.read offline_access" in a launch of its own
    And the app has exchanged the authorization code for a token that carries a refresh token
    When the app refreshes with a refresh token the payer never issued
    Then the token endpoint refuses the refresh with error "invalid_grant"
