@fhir @patient @c4dic
Feature: Patient: the member's demographics
  The member's Patient resource, as the app reads it with the member's access token, must meet
  the CARIN Digital Insurance Card Patient profile (C4DIC-Patient). C4DIC-Patient derives from base Patient
  ("a data-minimized version of Patient"), not from US Core Patient, and C4DIC's CapabilityStatement lists
  only C4DIC-Patient: US Core Patient is checked on its own, and by default only warns.

  Background:
    Given the app holds an access token for the member

  @req:c4dic-patient-profile @req:fhir-search @severity:critical
  Scenario: The member's Patient found by search meets C4DIC Patient
    When the app searches for "Patient" resources
    Then the server answers 200 with a searchset Bundle
    And the Bundle contains the patient in context
    And every "Patient" returned meets its profiles

  @req:fhir-read
  Scenario: The patient in context can be read by id and matches the search result
    When the app reads the patient in context
    Then the server answers 200 with a "Patient" resource
    And the resource read equals the one found by search
    And every "Patient" returned meets its profiles

  @req:us-core-patient-profile
  Scenario: The member's Patient found by search meets US Core Patient
    When the app searches for "Patient" resources
    Then the server answers 200 with a searchset Bundle
    And every "Patient" returned meets its US Core profiles
