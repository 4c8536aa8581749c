@fhir @per-member @c4dic @patient @coverage @organization
Feature: Members: every member under test reaches their own insurance card
  Members differ in what their records hold: a dependant, a member whose ID is only on the Coverage, a
  recorded ZIP+4. Each member listed in the members file (setting membersFile; without it, the one member
  of the member settings) authorizes the app in a browser session of their own, enrolling with an email
  address of their own, and the app reads that member's Patient, Coverage and the Coverage's payor with the
  member's own token. The members run in parallel when the setting parallelism allows it; results show the
  member as the parameter "member".

  @req:c4dic-patient-profile @req:c4dic-coverage-profile @req:c4dic-organization-profile @severity:critical
  Scenario: The member's Patient, Coverage and payor meet their profiles
    Given the app holds an access token for the member
    When the app searches for "Patient" resources
    Then the Bundle contains the patient in context
    And every "Patient" returned meets its profiles
    When the app searches for "Coverage" resources of the patient in context
    Then every "Coverage" returned meets its profiles
    And every Coverage's payor can be read and meets its profiles

  @req:smart-patient-context-member @severity:critical
  Scenario: The patient in context is the member who enrolled
    Given the app holds an access token for the member
    When the app searches for "Coverage" resources of the patient in context
    And the app reads the patient in context
    Then the patient in context has the member's name and birth date, and the member's ID on the Patient or on a Coverage of theirs, found by its type
