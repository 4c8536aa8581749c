@feature-start-fails
Feature: Feature start failure

  Scenario: First scenario after the failing hook
    Given the sandbox is running

  Scenario: Second scenario after the failing hook
    Given the sandbox is running
