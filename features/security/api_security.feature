@security
Feature: API security: only a valid token opens the FHIR API, only to the member's own data, only for reading
  The payer's FHIR API must refuse requests without a valid access token (C4DIC CapabilityStatement:
  "A server SHALL reject any unauthorized requests by returning an HTTP 401"). A token from a
  standalone patient launch opens one member's data only (SMART patient/ scopes): the harness learns
  another member's resources the way an app would, through that member's own authorization and token,
  then tries them with the member's token. The C4DIC API is read-only, and patient/*.read grants
  reading only: creates, updates and deletes must be refused and change nothing. A server that lets a
  write through is put back by the harness as far as its API allows.

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

  @req:fhir-read-only @coverage
  Scenario: Creating a Coverage with a read-only token is refused and creates nothing
    Given the app's access token grants only read access
    When the app tries to create a Coverage copied from one of the member's own
    Then the server refuses the write with 401, 403 or 405
    And the member's data read again is unchanged

  @req:fhir-read-only @patient
  Scenario: Updating the member's Patient with a read-only token is refused and changes nothing
    Given the app's access token grants only read access
    When the app tries to update the member's Patient with a changed name
    Then the server refuses the write with 401, 403 or 405
    And the member's data read again is unchanged

  @req:fhir-read-only @coverage
  Scenario: Deleting one of the member's Coverages with a read-only token is refused and deletes nothing
    Given the app's access token grants only read access
    When the app tries to delete one of the member's Coverage resources
    Then the server refuses the write with 401, 403 or 405
    And the member's data read again is unchanged
