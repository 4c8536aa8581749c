namespace DigitalInsurance.Conformance.Support.Session;

/// <summary>
/// The run could not start (a setting, a missing browser, an IG package, an unreachable mailbox...). The runner shows
/// its message alone on every scenario: it names what is wrong and how to fix it.
/// </summary>
public sealed class HarnessSetupException(string message, Exception? inner = null) : Exception(message, inner);
