@fhir @search @c4dic
Feature: Searches: every search the C4DIC CapabilityStatement marks SHALL
  The C4DIC server SHALL support these search parameters, individually and in combination
  (C4DIC CapabilityStatement, rest.resource.searchParam). Each search here uses a value taken
  from the member's own resources, as the app found them without criteria: of all the values
  the member's resources offer, the harness takes the one that matches the fewest of them, so
  that a server ignoring the parameter returns resources that do not match. Every resource
  returned must match the criteria with FHIR R4 search semantics, and the resource the value
  was taken from must be among them. Then the same search with a well-formed value none of the
  member's resources has (an id or Patient that does not exist, an identifier system|value that
  does not exist, a day in 1900, another type's C4DIC profile, a status the member lacks, a name no
  member has) must answer a searchset with no resource of the type: where every resource the member
  holds shares the value, only this shows a server that ignores the parameter. Each Examples block
  carries the requirement of its own parameter, so a filter on it selects that search alone.

  Background:
    Given the app holds an access token for the member

  @coverage
  Scenario Outline: Searching Coverage by <parameter> returns only the Coverages that match
    Given the app holds the member's Coverage resources
    When the app searches Coverage by "<parameter>" with the value of a Coverage it holds
    Then every Coverage returned matches <parameter>
    And the Coverage the value was taken from is among them
    When the app searches Coverage by "<parameter>" with a value none of the member's resources has
    Then the searchset holds no Coverage

    @req:c4dic-search-coverage-id
    Examples: Coverage by _id
      | parameter    | value taken from                        |
      | _id          | Coverage.id                             |

    @req:c4dic-search-coverage-profile
    Examples: Coverage by _profile
      | parameter    | value taken from                        |
      | _profile     | Coverage.meta.profile                   |

    @req:c4dic-search-coverage-last-updated
    Examples: Coverage by _lastUpdated
      | parameter    | value taken from                        |
      | _lastUpdated | Coverage.meta.lastUpdated, as ge and le |

    @req:c4dic-search-coverage-beneficiary
    Examples: Coverage by beneficiary
      | parameter    | value taken from                        |
      | beneficiary  | Coverage.beneficiary                    |

    @req:c4dic-search-coverage-subscriber
    Examples: Coverage by subscriber
      | parameter    | value taken from                        |
      | subscriber   | Coverage.subscriber                     |

    @req:c4dic-search-coverage-patient
    Examples: Coverage by patient
      | parameter    | value taken from                        |
      | patient      | Coverage.beneficiary                    |

    @req:c4dic-search-coverage-identifier
    Examples: Coverage by identifier
      | parameter    | value taken from                        |
      | identifier   | Coverage.identifier, as system\|value   |

    @req:c4dic-search-coverage-period
    Examples: Coverage by period
      | parameter    | value taken from                        |
      | period       | Coverage.period, as ge start and le end |

    @req:c4dic-search-coverage-status
    Examples: Coverage by status
      | parameter    | value taken from                        |
      | status       | Coverage.status                         |

  @coverage @req:c4dic-search-combination
  Scenario Outline: Searching Coverage by <first> and <second> together returns only the Coverages that match both
    Given the app holds the member's Coverage resources
    When the app searches Coverage by "<first>" and "<second>" together with the values of a Coverage it holds
    Then every Coverage returned matches both parameters
    And the Coverage the values were taken from is among them
    When the app keeps the first value and searches with a value for the second parameter that none of those Coverage resources has
    Then that search holds no Coverage

    Examples: Coverage by two parameters at once
      | first   | second       |
      | patient | status       |
      | patient | _lastUpdated |

  @patient
  Scenario Outline: Searching Patient by <parameter> returns only the Patients that match
    Given the app holds the member's Patient resources
    When the app searches Patient by "<parameter>" with the value of a Patient it holds
    Then every Patient returned matches <parameter>
    And the Patient the value was taken from is among them
    When the app searches Patient by "<parameter>" with a value none of the member's resources has
    Then the searchset holds no Patient

    @req:c4dic-search-patient-id
    Examples: Patient by _id
      | parameter    | value taken from                       |
      | _id          | Patient.id                             |

    @req:c4dic-search-patient-last-updated
    Examples: Patient by _lastUpdated
      | parameter    | value taken from                       |
      | _lastUpdated | Patient.meta.lastUpdated, as ge and le |

    @req:c4dic-search-patient-identifier
    Examples: Patient by identifier
      | parameter    | value taken from                       |
      | identifier   | Patient.identifier, as system\|value   |

    @req:c4dic-search-patient-name
    Examples: Patient by name
      | parameter    | value taken from                       |
      | name         | Patient.name.family                    |

  @organization
  Scenario Outline: Searching Organization by <parameter> returns only the Organizations that match
    Given the app holds the member's Organization resources
    When the app searches Organization by "<parameter>" with the value of an Organization it holds
    Then every Organization returned matches <parameter>
    And the Organization the value was taken from is among them
    When the app searches Organization by "<parameter>" with a value none of the member's resources has
    Then the searchset holds no Organization

    @req:c4dic-search-organization-id
    Examples: Organization by _id
      | parameter | value taken from |
      | _id       | Organization.id  |

  @coverage @req:fhir-search-paging
  Scenario: Coverage searched one at a time pages through every Coverage exactly once
    When the app searches Coverage 1 at a time and follows every next link
    Then no Coverage appears on more than one page
    And the last page has no next link
    And the pages together hold exactly the Coverage resources a search without _count returns

  @coverage @organization @req:c4dic-search-include-payor
  Scenario: Coverage searched with _include=Coverage:payor returns the payors, marked as included
    When the app searches Coverage with "_include=Coverage:payor" to include the payors
    Then every payor of the Coverages returned is in the Bundle, marked as included

  @coverage @patient @req:c4dic-search-include-beneficiary
  Scenario: Coverage searched with _include=Coverage:beneficiary returns the beneficiaries, marked as included
    When the app searches Coverage with "_include=Coverage:beneficiary" to include the beneficiaries
    Then every beneficiary of the Coverages returned that the member may read is in the Bundle, marked as included

  @coverage @req:c4dic-search-invalid-value
  Scenario: A search with a value of the wrong type is refused with 400 and an OperationOutcome
    When the app searches Coverage with "_lastUpdated=not-a-date", "a _lastUpdated value that is not a date"
    Then the server refuses it with 400 Bad Request and an OperationOutcome

  @coverage @req:fhir-search-strict-handling
  Scenario: A search with an unknown parameter and Prefer handling=strict is refused with 400 and an OperationOutcome
    When the app searches Coverage with "dic-conformance-unknown-parameter=1", "a parameter no server defines", asking for strict handling
    Then the server refuses it under strict handling with 400 Bad Request and an OperationOutcome
