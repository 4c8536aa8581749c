@coverage @severity:critical
Feature: Coverage lookup
  The payer returns the member's coverage.

  Background:
    Given the sandbox is running

  Scenario: Coverage lists the member's plans
    Given these members:
      | name            | member id    |
      | Jason Argonaut  | 08-testmemid |
      | Amy Shaw        | 09-testmemid |
    When the client asks for coverage with the body:
      """json
      {"resourceType": "Parameters", "member": "08-testmemid"}
      """
    Then the binding saw 2 members and the body for "08-testmemid"

  @req:smart-token-response
  Scenario Outline: Coverage per member
    Given a member with id "<member id>" and postal code "<postal code>"
    Then the member id is "<member id>"

    Examples:
      | member id    | postal code |
      | 08-testmemid | 02114       |
      | 09-testmemid | 02115       |

    @extra
    Examples: Third member
      | member id    | postal code |
      | 10-testmemid | 02116       |

  Rule: Coverage belongs to one payer
    @rule-tag
    Scenario: Coverage names its payer
      Then the member id is "payer"
      But the member id is "payer"
