using DemoHealthPlan.Sandbox.Auth.Faults;
using DemoHealthPlan.Sandbox.Enrollment;
using DemoHealthPlan.Sandbox.Hosting;
using DemoHealthPlan.Sandbox.Mail;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Core;
using OpenIddict.Server;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace DemoHealthPlan.Sandbox.Auth;

/// <summary>
/// The authorization server (OpenIddict, EF Core SQLite stores in the state folder), the member enrollment pages,
/// verification mail, and access-token validation for the FHIR API.
/// </summary>
public static class AuthRegistration
{
    public const string DatabaseFile = "sandbox.db";
    public const string DataProtectionFolder = "data-protection-keys";

    /// <summary>The fault under which the FHIR API lets an access token in after its lifetime.</summary>
    public const string AccessTokenNeverExpires = "access-token-never-expires";

    public static IServiceCollection AddSandboxAuth(this IServiceCollection services, SandboxSettings settings)
    {
        var keys = SandboxKeys.LoadOrCreate(settings);
        var issuedCredentials = new IssuedCredentialsLog(settings);
        services.AddSingleton(issuedCredentials);

        services.AddDataProtection()
            .SetApplicationName("DemoHealthPlan.Sandbox")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(settings.StateFolder, DataProtectionFolder)));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "dhp_antiforgery";
            antiforgery.FormFieldName = EnrollmentPaths.AntiforgeryField;
        });
        MemberSession.Register(services.AddAuthentication());

        services.AddDbContext<SandboxDbContext>(database =>
        {
            database.UseSqlite($"Data Source={Path.Combine(settings.StateFolder, DatabaseFile)}");
            database.UseOpenIddict();
        });
        services.AddHostedService<SandboxStoreInitializer>();
        services.AddSingleton<ClientDirectory>();
        services.AddSingleton<VerificationMailer>();
        services.AddScoped<MemberVerification>();
        services.AddSingleton(provider => EnrollmentLabels.Bind(provider.GetRequiredService<IConfiguration>()));
        // Runs before OpenIddict's own option validation; the base address is only known once Kestrel has bound.
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, IssuerFromBoundAddress>();

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<SandboxDbContext>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris(AuthPaths.Authorize)
                    .SetTokenEndpointUris(AuthPaths.Token)
                    .SetConfigurationEndpointUris(AuthPaths.OpenIdConfiguration)
                    .SetJsonWebKeySetEndpointUris(AuthPaths.Jwks);
                server.AllowAuthorizationCodeFlow();
                // Refresh tokens are issued when the grant has offline_access (SMART permission-offline). OpenIddict rolls
                // them: each refresh redeems the token it was given and returns a new one.
                server.AllowRefreshTokenFlow();
                server.RegisterScopes([.. SmartScopes.Supported.Keys]);
                server.RegisterClaims(SandboxClaims.Patient, SandboxClaims.FhirUser);
                server.SetAuthorizationCodeLifetime(settings.CodeLifetime);
                server.SetAccessTokenLifetime(settings.AccessTokenLifetime);
                server.SetIdentityTokenLifetime(settings.AccessTokenLifetime);
                server.AddSigningKey(keys.Signing);
                server.AddEncryptionKey(keys.Encryption);
                // Payer clients read the patient claim from the access token, so it is a signed, not encrypted, JWT.
                server.DisableAccessTokenEncryption();
                server.Configure(options =>
                {
                    // SMART requires S256; "plain" PKCE gives no protection.
                    options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);
                    // Clients authenticate with a shared secret only (client-confidential-symmetric).
                    options.ClientAuthenticationMethods.RemoveWhere(method =>
                        method is not (ClientAuthenticationMethods.ClientSecretBasic or ClientAuthenticationMethods.ClientSecretPost));
                });
                server.AddEventHandler(PatientTokenParameter.Descriptor);
                server.AddEventHandler(AudienceCheck.Descriptor);
                AuthFaults.Apply(server, settings.Faults);
                Variations.LaunchPatientVariation.Apply(server, settings.Variations);
                issuedCredentials.Register(server);

                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableErrorPassthrough()
                    .DisableTransportSecurityRequirement();
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
                // The token still states its lifetime (expires_in, exp); only the FHIR API's check of it is gone.
                if (settings.Faults.IsOn(AccessTokenNeverExpires))
                    validation.RemoveEventHandler(OpenIddictValidationHandlers.Protection.ValidateExpirationDate.Descriptor);
            });
        // OpenIddict falls back to the system clock when its options carry none; tie codes, tokens and their validation to
        // the sandbox's clock so a host that advances it sees them expire.
        services.AddOptions<OpenIddictCoreOptions>().Configure<TimeProvider>((options, clock) => options.TimeProvider = clock);
        services.AddOptions<OpenIddictServerOptions>().Configure<TimeProvider>((options, clock) => options.TimeProvider = clock);
        services.AddOptions<OpenIddictValidationOptions>().Configure<TimeProvider>((options, clock) => options.TimeProvider = clock);

        return services;
    }

    public static WebApplication UseSandboxAuth(this WebApplication app)
    {
        app.UseAuthentication();
        return app;
    }

    public static WebApplication MapSandboxAuth(this WebApplication app)
    {
        AuthorizeEndpoint.Map(app);
        SmartConfigurationEndpoint.Map(app);
        EnrollmentEndpoints.Map(app);
        return app;
    }

    /// <summary>Sets the issuer to the base URL the sandbox is bound to (also when started on port 0).</summary>
    private sealed class IssuerFromBoundAddress(SandboxBaseAddress baseAddress) : IConfigureOptions<OpenIddictServerOptions>
    {
        public void Configure(OpenIddictServerOptions options) => options.Issuer = baseAddress.Value;
    }
}
