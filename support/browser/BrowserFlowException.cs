namespace DigitalInsurance.Conformance.Support.Browser;

/// <summary>The member's browser flow could not go on: no browser, a page element missing, no redirect. The message is the whole story.</summary>
public sealed class BrowserFlowException(string message, Exception? inner = null) : Exception(message, inner);
