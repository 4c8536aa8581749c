Feature: Broken
  Scenario: Missing keyword
    Given something
    This line is not Gherkin
