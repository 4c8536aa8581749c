@fhir @coverage @c4dic @references
Feature: References: what the member's Coverage refers to resolves and meets its target profile
  FHIR R4, References: a reference is a URL "Type/id" relative to the service base, an absolute URL, or "#id" naming a
  resource contained in the referring one. ElementDefinition.type.targetProfile: "If any profiles are specified, then
  the content must conform to at least one of them." C4DIC-Coverage: beneficiary Reference(C4DIC-Patient), subscriber
  Reference(Patient | RelatedPerson), payor Reference(C4DIC-Organization), each 1..1 and Must Support. The member's
  app follows each with the member's token; a reference it cannot follow is a failure naming it, an absolute URL
  outside the FHIR base (another server, where the member's token is not sent) among them. A Patient or
  Organization reached this way is held to the same profiles as one found by search. The Coverages are the member's
  own (Coverage?patient=): a subscriber may also see a dependant's Coverage, whose beneficiary the member's token
  need not open.

  Background:
    Given the app holds an access token for the member

  @req:c4dic-reference-resolution
  Scenario Outline: Each of the member's Coverages has a <element> that resolves and meets its target profiles
    When the app searches for "Coverage" resources of the patient in context
    And the app follows each Coverage's <element> with the member's token
    Then every Coverage.<element> followed resolves to a resource that meets its target profiles

    @patient
    Examples: The member covered, and the subscriber
      | element     |
      | beneficiary |
      | subscriber  |

    @organization
    Examples: The health plan that pays
      | element |
      | payor   |
