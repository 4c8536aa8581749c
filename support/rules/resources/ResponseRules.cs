using DigitalInsurance.Conformance.Support.Fhir;
using System.Net;
using Hl7.Fhir.Model;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>Checks every FHIR answer must pass before its content is looked at.</summary>
public sealed class ResponseRules(Check check)
{
    private const int ExcerptLength = 300;

    /// <summary>200, labelled application/fhir+json (or application/json), and a parseable FHIR resource of the expected type.</summary>
    public T RequireResource<T>(FhirResponse response, Requirement rule) where T : Resource
    {
        check.That(response.Status == HttpStatusCode.OK, rule,
            $"{response.Method} {response.RequestUri.PathAndQuery} must answer 200 OK.",
            $"{(int)response.Status} {response.Status}{BodyExcerpt(response)}");
        RequireFhirJson(response, rule);
        var resource = response.Resource;
        var request = $"{response.Method} {response.RequestUri.PathAndQuery}";
        if (!check.Holds(resource is not null, rule, $"The answer to {request} must be a FHIR JSON resource.", response.ParseProblem + BodyExcerpt(response)))
            check.CannotContinue(rule, $"anything the answer to {request} holds, as it is not a FHIR resource");
        if (!check.Holds(resource is T, rule, $"The answer to {request} must be a {typeof(T).Name}.", $"a {resource!.TypeName}"))
            check.CannotContinue(rule, $"anything the answer to {request} holds, as it is a {resource.TypeName}, not a {typeof(T).Name}");
        return (T)resource;
    }

    public Bundle RequireSearchset(FhirResponse response, Requirement rule)
    {
        var bundle = RequireResource<Bundle>(response, rule);
        check.That(bundle.Type == Bundle.BundleType.Searchset, rule, "A search must answer with a Bundle of type searchset.", $"type {bundle.Type}");
        return bundle;
    }

    public void RequireFhirJson(FhirResponse response, Requirement rule)
    {
        var mediaType = response.MediaType ?? "(none)";
        check.That(mediaType is FhirApi.FhirJson or "application/json", rule,
            $"The answer to {response.Method} {response.RequestUri.PathAndQuery} must be labelled Content-Type: application/fhir+json.",
            $"Content-Type {mediaType}");
    }

    private string BodyExcerpt(FhirResponse response)
    {
        if (string.IsNullOrWhiteSpace(response.Body)) return "; empty body";
        var body = response.Body.Length > ExcerptLength ? response.Body[..ExcerptLength] + "…" : response.Body;
        return $"; body: {body.ReplaceLineEndings(" ")}";
    }
}
