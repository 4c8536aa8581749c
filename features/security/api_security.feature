@security
Feature: API security: only a valid token opens the FHIR API, only to the member's own data, only for reading
  The payer's FHIR API must refuse requests without a valid access token (C4DIC CapabilityStatement:
  "A server SHALL reject any unauthorized requests by returning an HTTP 401"). A token from a
  standalone patient launch opens one member's data only (SMART patient/ scopes): the harness learns
  another member's resources the way an app would, through that member's own authorization and token,
  then tries them with the member's token. Writes are probed in write_probes.feature, after everything else.

  Background:
    Given the app holds an access token for the member

  @req:smart-api-requires-token @patient @coverage @organization @severity:critical
  Scenario: Requests without an access token are refused with 401
    When the app requests the member's Patient, Coverage and Organization resources without an access token
    Then every answer is 401 Unauthorized

  @req:smart-api-requires-token @patient @coverage @organization
  Scenario: Requests with a malformed access token are refused with 401
    When the app requests the member's Patient, Coverage and Organization resources with the access token "not-a-token"
    Then every answer is 401 Unauthorized

  @req:smart-api-requires-token @patient @coverage @organization
  Scenario: Requests with an altered access token are refused with 401
    When the app requests the member's Patient, Coverage and Organization resources with the member's access token altered
    Then every answer is 401 Unauthorized

  @req:smart-api-www-authenticate @patient @coverage @organization
  Scenario: Refusals of a missing or bad token name the Bearer scheme
    When the app requests the member's Patient, Coverage and Organization resources without an access token
    And the app requests the member's Patient, Coverage and Organization resources with the access token "not-a-token"
    And the app requests the member's Patient, Coverage and Organization resources with the member's access token altered
    Then every 401 answer carries a WWW-Authenticate challenge naming the Bearer scheme

  @req:smart-patient-compartment @patient @coverage @organization @severity:critical
  Scenario: Another member's Patient and Coverages cannot be read with the member's token
    Given another member has authorized the app, and the app knows their resources from their own token
    When the app reads each of the other member's resources with the member's access token
    Then every one of those reads is refused with 403 or 404

  @req:smart-patient-compartment @patient @coverage @organization @severity:critical
  Scenario: Another member's resources are absent from the member's searches
    Given another member has authorized the app, and the app knows their resources from their own token
    When the app searches Patient, Coverage and Organization with the member's access token, also by the other member's ids
    Then none of the other member's resources is returned
