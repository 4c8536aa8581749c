using DigitalInsurance.Conformance.Support.Discovery;
using DigitalInsurance.Conformance.Support.Fhir;
using Hl7.Fhir.Model;

namespace DigitalInsurance.Conformance.Support.Rules;

/// <summary>What the server's CapabilityStatement (GET [base]/metadata) must declare for the app.</summary>
public sealed class CapabilityStatementRules(Check check)
{
    private const string OAuthUris = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";
    private const string SmartService = "SMART-on-FHIR";

    public async Task<CapabilityStatement> ReadAsync(FhirConversation fhir) =>
        new ResponseRules(check).RequireResource<CapabilityStatement>(await fhir.GetAsync("metadata"), Requirements.FhirCapabilityStatement);

    public void RequireR4Json(CapabilityStatement capability, string version)
    {
        var declared = capability.FhirVersionElement?.JsonValue as string ?? capability.FhirVersion?.ToString();
        check.That(declared == version, Requirements.FhirCapabilityStatement, $"The CapabilityStatement must declare fhirVersion {version}.", declared ?? "none");
        check.That(capability.Format.Any(f => f is "json" or "application/fhir+json" or "application/json"), Requirements.FhirCapabilityStatement,
            "The CapabilityStatement must declare the JSON format.", $"format [{string.Join(", ", capability.Format)}]");
    }

    public void RequireResource(CapabilityStatement capability, string type, string profile)
    {
        var resource = capability.Rest.SelectMany(r => r.Resource).FirstOrDefault(r => r.Type == type);
        if (!check.Holds(resource is not null, Requirements.FhirCapabilityStatement, $"The CapabilityStatement must list {type}.", "not listed"))
        {
            check.NotChecked(Requirements.FhirCapabilityStatement, $"the interactions and supported profiles of {type}, which the CapabilityStatement does not list");
            return;
        }
        var interactions = resource!.Interaction.Select(i => i.Code).ToList();
        check.That(interactions.Contains(CapabilityStatement.TypeRestfulInteraction.Read) && interactions.Contains(CapabilityStatement.TypeRestfulInteraction.SearchType),
            Requirements.FhirCapabilityStatement, $"The CapabilityStatement must support read and search-type for {type}.",
            $"interactions [{string.Join(", ", interactions)}]");
        check.That(resource.SupportedProfile.Contains(profile) || resource.Profile == profile, Requirements.FhirCapabilityStatement,
            $"The CapabilityStatement must list {profile} as a supported profile of {type}.",
            $"supportedProfile [{string.Join(", ", resource.SupportedProfile)}]");
    }

    public void RequireSmartSecurity(CapabilityStatement capability) =>
        check.That(SmartSecurity(capability)?.Service.Any(s => s.Coding.Any(c => c.Code == SmartService)) == true, Requirements.SmartCapabilityOauthUris,
            $"The CapabilityStatement's rest.security.service must name {SmartService}.", "no SMART-on-FHIR security service");

    public void RequireOAuthUrisMatch(CapabilityStatement capability, SmartConfiguration smart)
    {
        var extension = SmartSecurity(capability)?.GetExtension(OAuthUris);
        if (extension is null)
            NotApplicable.Skip(Requirements.SmartCapabilityOauthUris,
                $"the CapabilityStatement carries no {OAuthUris} extension. SMART App Launch 2.x discovery is " +
                "[base]/.well-known/smart-configuration (which the discovery scenario verifies), so its absence is no failure and " +
                "there is nothing to compare; an extension that is present must agree with it.");
        foreach (var (uri, endpoint) in new[] { ("authorize", "authorization_endpoint"), ("token", "token_endpoint") })
        {
            var value = (extension.GetExtension(uri)?.Value as FhirUri)?.Value;
            check.That(value is not null && value == smart.String(endpoint), Requirements.SmartCapabilityOauthUris,
                $"oauth-uris {uri} must equal the SMART configuration's {endpoint}.", $"{value ?? "absent"} vs {smart.String(endpoint) ?? "absent"}");
        }
    }

    private CapabilityStatement.SecurityComponent? SmartSecurity(CapabilityStatement capability) =>
        capability.Rest.FirstOrDefault(r => r.Mode == CapabilityStatement.RestfulCapabilityMode.Server)?.Security;
}
