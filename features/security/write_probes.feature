@security @serial @write-probes
Feature: Write probes: a read-only token creates, updates and deletes nothing
  The C4DIC API is read-only, and patient/*.read grants reading only: creates, updates and deletes must be
  refused (401, 403 or 405; a gateway in front of the server may answer 400, 404 or 501) and change nothing.
  The probes never destroy the member's data, even on a server that wrongly processes writes: PUT and DELETE
  carry an If-Match with a version no server issues (a server that processes writes answers 412 or 409 and
  keeps the data, and still fails), POST is a conditional create (If-None-Exist) matching the resource it
  copies. FHIR leaves conditional create to the server, so against an external payer the create is sent only
  when allowDataChangingProbes says its data may change. They run after every other feature, one at a time.
  A server that ignores the preconditions and lets a write through is put back by the harness as far as its
  API allows.

  Background:
    Given the app holds an access token for the member

  @req:fhir-read-only @coverage
  Scenario: Creating a Coverage with a read-only token is refused and creates nothing
    Given the app's access token grants only read access
    When the app tries to create a Coverage copied from one of the member's own
    Then the server refuses the write
    And the member's data read again is unchanged

  @req:fhir-read-only @patient
  Scenario: Updating the member's Patient with a read-only token is refused and changes nothing
    Given the app's access token grants only read access
    When the app tries to update the member's Patient with a changed name
    Then the server refuses the write
    And the member's data read again is unchanged

  @req:fhir-read-only @coverage
  Scenario: Deleting one of the member's Coverages with a read-only token is refused and deletes nothing
    Given the app's access token grants only read access
    When the app tries to delete one of the member's Coverage resources
    Then the server refuses the write
    And the member's data read again is unchanged
