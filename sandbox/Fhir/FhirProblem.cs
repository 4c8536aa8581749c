using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir;

/// <summary>A request the FHIR API refuses; becomes an OperationOutcome with the given HTTP status.</summary>
internal sealed class FhirProblem(int status, OperationOutcome.IssueType issueType, string message) : Exception(message)
{
    public int Status { get; } = status;
    public OperationOutcome.IssueType IssueType { get; } = issueType;

    /// <summary>Extra response headers (WWW-Authenticate, Allow).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static FhirProblem Invalid(string message) => new(400, OperationOutcome.IssueType.Invalid, message);
    public static FhirProblem NotSupported(string message) => new(400, OperationOutcome.IssueType.NotSupported, message);
    public static FhirProblem NotFound(string message) => new(404, OperationOutcome.IssueType.NotFound, message);

    public OperationOutcome ToOperationOutcome() => Outcome(IssueType, Message);

    public static OperationOutcome Outcome(OperationOutcome.IssueType type, string message) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Issue =
        [
            new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = type,
                Diagnostics = message,
            },
        ],
    };
}
