@authorization @smart-standalone-launch
Feature: Standalone launch: the member authorizes the app
  A member opens the app, which sends them to the health plan's authorization server
  (SMART App Launch, standalone launch). There they create an account with their five member
  attributes, prove they own their email address with the code sent to it, and consent.
  The health plan then returns them to the app with an authorization code and the app's state.

  @req:smart-authorization-code @req:smart-state-echo @severity:critical @patient
  Scenario: A new member creates an account, verifies their email and allows access
    Given the app requests access with scope "patient/*.read" and a fresh state
    When the member opens the authorization page
    And the member creates an account with their member attributes and an email address unique to this run
    And the member enters the verification code sent to that email address
    And the member allows the app access
    Then the app receives an authorization code at its redirect URI
    And the redirect carries exactly the state the app sent
