@token @smart-standalone-launch
Feature: Token exchange: the app trades the authorization code for an access token
  The app posts the authorization code to the token endpoint, authenticating with its client
  secret, and receives an access token for the member's data (SMART App Launch, "Obtain
  access token"). Scenarios that only need a token share the run's one authorized session.

  Background:
    Given the member has authorized the app and the app has exchanged the code for a token

  @req:smart-token-response @req:smart-token-type-bearer @req:smart-token-expires-in @severity:critical
  Scenario: The token endpoint returns a bearer access token
    Then the token endpoint answered 200 with a JSON body
    And the token response carries an access_token
    And the token response's token_type is "Bearer"
    And the token response's expires_in is a number of seconds
    And the token response lists the granted scope

  @req:smart-token-patient-context @patient
  Scenario: The token response names the member's patient in context
    Then the token response carries the patient in context
    And the patient in context can be read with the access token

  @req:smart-token-no-store
  Scenario: The token response must not be cached
    Then the token response has the header "Cache-Control" containing "no-store"
    And the token response has the header "Pragma" containing "no-cache"
