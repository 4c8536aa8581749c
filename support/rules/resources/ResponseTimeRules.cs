using DigitalInsurance.Conformance.Support.Fhir;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>
/// fhir-response-time, checked on every FHIR request: <see cref="FhirApi"/> reports a request the server did not answer in
/// time (<see cref="FhirNoAnswer"/>) here, at the moment it gives up, so that whichever step sent it fails naming this
/// rule instead of hanging or breaking the run.
/// </summary>
public sealed class ResponseTimeRules(Check check)
{
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public void FailNoAnswer(FhirNoAnswer noAnswer) =>
        check.Fail(Requirements.FhirResponseTime,
            $"{noAnswer.Method} {noAnswer.Uri.PathAndQuery} must be answered within {noAnswer.Timeout.TotalSeconds:0} s (httpTimeoutSeconds).",
            $"the server did not answer within {noAnswer.Timeout.TotalSeconds:0} s");
}
