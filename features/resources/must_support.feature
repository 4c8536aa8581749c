@fhir @c4dic @must-support
Feature: Must Support: the member's resources populate every Must Support element
  C4DIC, General Guidance, Must Support: "Health Plan API actors SHALL be capable of populating all data elements as
  part of the query results"; Conformance to US Core Profiles: a Health Plan API actor SHALL "be able to populate all
  profile data elements that have a minimum cardinality >= 1 and/or flagged as Must Support". A payer shows that it
  can by populating them: together, the resources of a type that the member can get must populate every element and
  slice that each of the type's profiles (C4DIC, and US Core where the manifest adds it) marks Must Support. The
  report attaches a table per profile: each element, and in how many resources it is populated. Slices only a provider
  can have (US Core Organization's identifier:NPI, "National Provider Identifier", and identifier:CLIA, for
  laboratories) are not applicable when every Organization is a payer (a Coverage's payor, or typed pay): C4DIC-Organization
  "is used to convey a payer organization".

  Background:
    Given the app holds an access token for the member

  @req:c4dic-must-support
  Scenario Outline: The <type> resources the member can get populate every Must Support element of their profiles
    When the app gathers every "<type>" the member can get
    Then together they populate every Must Support element and slice of the <type> profiles

    @patient
    Examples: Patient: found by search, and the patient in context read by id
      | type    |
      | Patient |

    @coverage
    Examples: Coverage: found by search, with and without patient=
      | type     |
      | Coverage |

    @organization
    Examples: Organization: found by search, and every Coverage's payor
      | type         |
      | Organization |
