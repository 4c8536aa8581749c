@fhir @patient @c4dic
Feature: Patient: the member's demographics
  The member's Patient resource, as the app reads it with the member's access token, must meet
  the CARIN Digital Insurance Card Patient profile (C4DIC-Patient) and US Core Patient.

  Background:
    Given the app holds an access token for the member

  @req:c4dic-patient-profile @req:fhir-search @severity:critical
  Scenario: The member's Patient found by search meets C4DIC Patient and US Core Patient
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
