Feature: Failure reporting

  Scenario: A failing step fails the test
    Given the sandbox is running
    Then the coverage count is 3

  Scenario: An undefined step fails with the snippet
    Given the sandbox is running
    When the member opens the unknown door 7 times

  Scenario: A pending step fails
    Given a step that is not implemented yet

  @ignore
  Scenario: An ignored scenario
    Then the coverage count is 3

  Scenario: A wrong setting is reported without a stack trace
    Given a setting that is wrong

  Scenario: Same title
    Given the sandbox is running

  Scenario: Same title
    Given the sandbox is running
