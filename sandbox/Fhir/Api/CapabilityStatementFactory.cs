using DemoHealthPlan.Sandbox.Fhir.Search;
using Hl7.Fhir.Model;

namespace DemoHealthPlan.Sandbox.Fhir.Api;

/// <summary>The server's CapabilityStatement, derived from what the API actually serves (types, search parameters, includes).</summary>
internal static class CapabilityStatementFactory
{
    public const string C4dicImplementationGuide = "http://hl7.org/fhir/us/insurance-card/ImplementationGuide/hl7.fhir.us.insurance-card";
    public const string OAuthUrisExtension = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

    private static readonly Dictionary<string, string[]> SupportedProfiles = new()
    {
        ["Patient"] = ["http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Patient", "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"],
        ["Coverage"] = ["http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Coverage"],
        ["Organization"] = ["http://hl7.org/fhir/us/insurance-card/StructureDefinition/C4DIC-Organization", "http://hl7.org/fhir/us/core/StructureDefinition/us-core-organization"],
        // A member's personal representative (a Coverage's subscriber may be one): C4DIC and US Core 3.1.1 profile no RelatedPerson.
        ["RelatedPerson"] = [],
    };

    /// <param name="withOAuthUris">False: no SMART oauth-uris extension (SMART 2.x discovery is .well-known/smart-configuration).</param>
    public static CapabilityStatement Build(FhirUrls urls, bool withOAuthUris = true)
    {
        var security = new CapabilityStatement.SecurityComponent
        {
            Service =
            [
                new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR", "SMART-on-FHIR"),
            ],
            Description = "SMART App Launch (standalone, patient context). Every interaction except metadata needs a bearer access token with patient/*.read (or per-type) scope.",
        };
        if (withOAuthUris) security.Extension.Add(new Extension
        {
            Url = OAuthUrisExtension,
            Extension =
            [
                new Extension("authorize", new FhirUri($"{urls.ServerBase}/oauth2/authorize/digitalinsurance")),
                new Extension("token", new FhirUri($"{urls.ServerBase}/oauth2/token")),
            ],
        });

        var rest = new CapabilityStatement.RestComponent
        {
            Mode = CapabilityStatement.RestfulCapabilityMode.Server,
            Documentation = "Read-only access to the member's Patient compartment: their Patient, the Coverages naming them as beneficiary or subscriber, and those Coverages' payor Organizations.",
            Security = security,
        };
        foreach (var type in FhirApi.ResourceTypes) rest.Resource.Add(Resource(type));

        return new CapabilityStatement
        {
            Id = "demo-health-plan-sandbox",
            Url = $"{urls.FhirBase}/metadata",
            Name = "DemoHealthPlanSandbox",
            Title = "Demo Health Plan sandbox FHIR API",
            Status = PublicationStatus.Active,
            Experimental = true,
            Date = "2026-01-01",
            Publisher = "Demo Health Plan (fictional)",
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "Demo Health Plan sandbox" },
            Implementation = new CapabilityStatement.ImplementationComponent
            {
                Description = "Demo Health Plan sandbox (fictional data, for conformance testing)",
                Url = urls.FhirBase,
            },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["json"],
            ImplementationGuide = [C4dicImplementationGuide],
            Rest = [rest],
        };
    }

    private static CapabilityStatement.ResourceComponent Resource(string type)
    {
        var component = new CapabilityStatement.ResourceComponent
        {
            Type = type,
            SupportedProfile = SupportedProfiles[type],
            Interaction =
            [
                new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read },
                new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Vread },
                new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.SearchType },
            ],
            Versioning = CapabilityStatement.ResourceVersionPolicy.Versioned,
            ReadHistory = false,
            ReferencePolicy = [CapabilityStatement.ReferenceHandlingPolicy.Resolves, CapabilityStatement.ReferenceHandlingPolicy.Local],
        };
        foreach (var parameter in SearchParameterCatalog.For(type))
        {
            component.SearchParam.Add(new CapabilityStatement.SearchParamComponent
            {
                Name = parameter.Name,
                Definition = parameter.Url,
                Type = parameter.Type,
            });
            var targets = SearchRequestParser.Targets(parameter);
            if (parameter.Type == SearchParamType.Reference && targets.Any(FhirApi.ResourceTypes.Contains))
                component.SearchInclude = component.SearchInclude.Append($"{type}:{parameter.Name}").ToList();
        }
        return component;
    }
}
