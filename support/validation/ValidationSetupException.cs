namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>
/// The validator cannot be set up: a package, manifest or profile is missing or wrong. The message is one line
/// naming the thing and how to fix it, meant to be shown to the user as is.
/// </summary>
public sealed class ValidationSetupException(string message, Exception? inner = null) : Exception(message, inner);
