using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Api;

/// <summary>What an interaction answers, before it becomes HTTP.</summary>
internal sealed record FhirResponse(int Status, Resource? Body, IReadOnlyDictionary<string, string> Headers)
{
    public static FhirResponse Ok(Resource body, IReadOnlyDictionary<string, string>? headers = null) =>
        new(200, body, headers ?? new Dictionary<string, string>());
}

/// <summary>The addresses a request was made to: the FHIR base (…/r4) and the server root the OAuth endpoints live under.</summary>
internal sealed record FhirUrls(string FhirBase, string ServerBase)
{
    public string ResourceUrl(string type, string id) => $"{FhirBase}/{type}/{id}";
}
