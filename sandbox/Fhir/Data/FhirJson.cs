using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace DemoHealthPlan.Sandbox.Fhir.Data;

/// <summary>The one JSON reader and writer the FHIR side uses, so data files, request bodies and responses agree.</summary>
internal static class FhirJson
{
    public const string MediaType = "application/fhir+json";
    public const string ContentType = "application/fhir+json; charset=utf-8";

    private static readonly FhirJsonDeserializer Strict = new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));
    private static readonly FhirJsonSerializer Writer = new();

    /// <summary>Parses one resource, or explains in one line why the text is not FHIR R4 JSON.</summary>
    public static bool TryParse(string json, out Resource? resource, out string problem)
    {
        resource = null;
        problem = "";
        try
        {
            resource = Strict.DeserializeResource(json);
            return true;
        }
        catch (DeserializationFailedException e)
        {
            var issues = e.Exceptions.Select(x => x.Message).ToList();
            problem = issues.Count switch
            {
                0 => e.Message,
                1 => issues[0],
                _ => $"{issues[0]} (and {issues.Count - 1} more problem(s))",
            };
            return false;
        }
        catch (JsonException e)
        {
            problem = $"not valid JSON: {e.Message}";
            return false;
        }
    }

    private static readonly FhirJsonDeserializer Lenient = new(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable));

    /// <summary>
    /// Parses a data file's resource as it is: content FHIR R4 does not allow there (a code outside its value set, a
    /// malformed date) is kept as written and described in <paramref name="deviations"/>; only text that is no FHIR
    /// JSON resource at all (not JSON, no known resourceType) fails, with <paramref name="problem"/> saying why.
    /// </summary>
    public static bool TryParseAsIs(string json, out Resource? resource, out string? deviations, out string problem)
    {
        deviations = null;
        if (TryParse(json, out resource, out problem)) return true;
        try
        {
            resource = Lenient.DeserializeResource(json);
            deviations = problem;
            problem = "";
            return true;
        }
        catch (DeserializationFailedException e) when (e.PartialResult is Resource partial)
        {
            resource = partial;
            deviations = problem;
            problem = "";
            return true;
        }
        catch (Exception e) when (e is DeserializationFailedException or JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    public static string Serialize(Resource resource) => Writer.SerializeToString(resource);
}
