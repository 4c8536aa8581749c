@preflight
Feature: Preflight: the harness can reach the payer and read the mailbox
  Runs first in every run, or alone: dotnet test --filter TestCategory=preflight. Each check passes or names
  the problem and its fix in one line, within seconds, so that a wrong setting or an unreachable host is found
  before the conformance scenarios run into timeouts.

  @req:harness-preflight
  Scenario: The settings, enrollment page model, browser and FHIR packages are in place
    When the harness checks its settings, page model, browser and FHIR packages
    Then the preflight finds no problem

  @req:harness-preflight
  Scenario: The authorization and FHIR servers resolve, accept connections and answer HTTP
    When the harness resolves, connects to and requests the authorization and FHIR servers
    Then the preflight finds no problem

  @security @req:smart-transport-tls
  Scenario: The authorization, token, FHIR and JWKS servers are reached over TLS 1.2 or later
    The JWKS is where the SMART configuration's jwks_uri points: the keys that sign id_tokens. Loopback hosts are
    exempt for test payers, so the embedded sandbox, all on loopback over plain http, holds the rule by its exemption.
    When the harness opens a TLS connection to the authorization, token, FHIR and JWKS servers
    Then each is reached over https with TLS 1.2 or later, or is a loopback host

  @req:harness-preflight
  Scenario: SMART discovery answers and names the configured authorization and token endpoints
    When the harness fetches the SMART configuration and compares its endpoints with the settings
    Then the preflight finds no problem

  @req:harness-preflight
  Scenario: The member's mailbox accepts the harness's login
    When the harness logs in to the member's mailbox
    Then the preflight finds no problem
