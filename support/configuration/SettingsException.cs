namespace DigitalInsurance.Conformance.Support.Configuration;

/// <summary>A setting is missing or invalid. The message names the setting and how to set it; it is all the user needs to see.</summary>
public sealed class SettingsException(string message) : Exception(message);
