@discovery
Feature: Discovery: the app learns the payer's endpoints and what it supports
  Before any member signs in, the app reads the payer's SMART configuration and FHIR
  CapabilityStatement (SMART App Launch "Conformance"; FHIR R4 "capabilities"). Both must
  describe the standalone launch, the endpoints and the C4DIC resources the app relies on.

  @req:smart-discovery @req:smart-pkce-s256 @severity:critical
  Scenario: The SMART configuration advertises a standalone launch for confidential clients
    When the app fetches the SMART configuration from the FHIR base URL
    Then the SMART configuration is a JSON object
    And the SMART configuration names an authorization_endpoint and a token_endpoint
    And the SMART configuration lists these capabilities:
      | capability                    |
      | launch-standalone             |
      | client-confidential-symmetric |
      | context-standalone-patient    |
      | permission-patient            |
    And the SMART configuration's code_challenge_methods_supported includes "S256" but not "plain"

  @req:smart-configuration-json
  Scenario: The SMART configuration is served as application/json
    When the app fetches the SMART configuration from the FHIR base URL
    Then the SMART configuration is served as application/json

  @req:smart-configuration-required-fields
  Scenario: The SMART configuration carries every field SMART calls REQUIRED
    When the app fetches the SMART configuration from the FHIR base URL
    Then the SMART configuration has grant_types_supported including "authorization_code", capabilities and code_challenge_methods_supported, and an issuer and a jwks_uri if it advertises "sso-openid-connect"

  @req:fhir-capability-statement
  Scenario: The CapabilityStatement declares FHIR R4 in JSON and the C4DIC resources
    When the app reads the server's CapabilityStatement
    Then the CapabilityStatement declares FHIR version "4.0.1" and the JSON format
    And the CapabilityStatement supports read and search-type for these resources with these profiles:
      | resource     | profile                                                                 |
      | Patient      | http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Patient      |
      | Coverage     | http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Coverage     |
      | Organization | http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Organization |

  @req:smart-capability-oauth-uris
  Scenario: The CapabilityStatement's SMART security names the same endpoints as the SMART configuration
    When the app fetches the SMART configuration from the FHIR base URL
    And the app reads the server's CapabilityStatement
    Then the CapabilityStatement names the SMART-on-FHIR security service
    And its oauth-uris authorize and token match the SMART configuration's endpoints
