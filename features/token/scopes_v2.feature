@token @smart-standalone-launch
Feature: SMART v2 scopes: a payer that advertises permission-v2 grants them
  SMART App Launch 2.x, Conformance: the capability permission-v2 is "support for SMARTv2 granular scope
  syntax", permission-v1 "support for SMARTv1 scope syntax (e.g., patient/Observation.read)". Scopes for
  requesting clinical data: "Valid suffixes are a subset of the in-order string .cruds"; patient/*.rs is
  "Permission to read and search any resource for the current patient". With the scope setting auto (the
  default), every launch of the run asks for patient/*.rs where the SMART configuration advertises
  permission-v2, and for SMART 1's patient/*.read elsewhere; v1 and v2 grants are compared by what they allow
  (v1 .read is v2 .rs).

  @req:smart-scopes-v2
  Scenario: A payer advertising permission-v2 grants a request for patient/*.rs
    A payer whose SMART configuration does not advertise permission-v2 offers SMART 1 scopes only: the scenario
    is then skipped with that reason, before any launch.
    Given the payer's SMART configuration advertises "permission-v2"
    And the member has authorized the app with scope "patient/*.rs" in a launch of its own
    When the app exchanges the authorization code for a token
    Then the first exchange was granted an access token
    And the token response grants the SMART v2 scope "patient/*.rs" the app asked for
