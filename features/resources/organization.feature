@fhir @organization @c4dic
Feature: Organization: the health plan that pays
  The payer named on the member's insurance card is an Organization that must meet the CARIN
  Digital Insurance Card Organization profile (C4DIC-Organization).

  Background:
    Given the app holds an access token for the member

  @req:c4dic-organization-profile @req:fhir-search @severity:critical
  Scenario: The Organizations the member may read meet C4DIC Organization
    When the app searches for "Organization" resources
    Then the server answers 200 with a searchset Bundle
    And the Bundle contains at least one "Organization"
    And every "Organization" returned meets its profiles

  @req:fhir-read
  Scenario: Each Organization can be read by id and matches the search result
    When the app searches for "Organization" resources
    And the app reads each "Organization" found by its id
    Then every read answers 200 and equals the resource found by search
