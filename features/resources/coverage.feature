@fhir @coverage @c4dic
Feature: Coverage: the member's insurance card
  The member's Coverage resources carry what is printed on the insurance card. Each must meet
  the CARIN Digital Insurance Card Coverage profile (C4DIC-Coverage), name the member as its
  beneficiary and the health plan as its payor.

  Background:
    Given the app holds an access token for the member

  @req:c4dic-coverage-profile @req:fhir-search @severity:critical
  Scenario: The member's Coverage found by search meets C4DIC Coverage
    When the app searches for "Coverage" resources of the patient in context
    Then the server answers 200 with a searchset Bundle
    And the Bundle contains at least one "Coverage"
    And every "Coverage" returned meets its profiles

  @req:c4dic-coverage-beneficiary
  Scenario: Each Coverage names the member as its beneficiary
    When the app searches for "Coverage" resources of the patient in context
    Then every Coverage's beneficiary refers to the patient in context

  @req:c4dic-coverage-subscriber
  Scenario: Each Coverage names the member, or a RelatedPerson of theirs, as its subscriber
    A Coverage whose relationship is self names its beneficiary as subscriber; a dependant's policyholder may be another
    Patient, which FHIR allows and the harness does not judge.
    When the app searches for "Coverage" resources of the patient in context
    Then every Coverage of the patient in context names as subscriber the member themself, or a RelatedPerson of theirs

  @req:c4dic-coverage-payor @req:c4dic-organization-profile @organization
  Scenario: Each Coverage's payor is an Organization that meets C4DIC Organization
    When the app searches for "Coverage" resources of the patient in context
    Then every Coverage's payor can be read and meets its profiles

  @req:fhir-read
  Scenario: Each Coverage can be read by id and matches the search result
    When the app searches for "Coverage" resources of the patient in context
    And the app reads each "Coverage" found by its id
    Then every read answers 200 and equals the resource found by search
