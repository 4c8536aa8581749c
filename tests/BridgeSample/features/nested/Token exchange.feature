@token
Feature: Token exchange

  @req:smart-token-response
  Scenario: Token response carries patient context
    Given the sandbox is running

  Scenario Outline: Rows without unique values
    Given a member with id "<id>" and postal code "x"

    Examples:
      | id |
      | a  |
      | a  |
