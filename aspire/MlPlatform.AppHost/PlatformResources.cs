using Microsoft.Extensions.Configuration;
using MlPlatform.AppHost.Infrastructure;

namespace MlPlatform.AppHost;

/// <summary>
/// The platform's secrets, AppHost parameters generated on first run and persisted to the AppHost's
/// user secrets (<c>dotnet user-secrets list --project aspire/MlPlatform.AppHost</c>):
/// <c>Parameters:admin-api-key</c>, the bootstrap admin API key, and
/// <c>Parameters:identity-signing-key</c>, with which the gateway signs the identity it forwards
/// and the services verify it. Configuration (e.g. <c>--Parameters:admin-api-key=...</c>) overrides them.
/// </summary>
internal sealed record PlatformSecrets(IResourceBuilder<ParameterResource> AdminApiKey, IResourceBuilder<ParameterResource> IdentitySigningKey);

/// <summary>How the AppHost adds MlPlatform's own processes.</summary>
internal static class PlatformResources
{
    public const string IdentitySigningKeyVariable = "MlPlatform__Identity__SigningKey";

    public static PlatformSecrets AddPlatformSecrets(this IDistributedApplicationBuilder builder) => new(
        // 44 characters of [A-Za-z0-9] ≈ 262 bits.
        builder.AddParameter("admin-api-key", new GenerateParameterDefault { MinLength = 44, Special = false }, secret: true, persist: true),
        builder.AddParameter("identity-signing-key", new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true, persist: true));

    /// <summary>
    /// A service with its <c>http</c> (health, HTTP/1.1) and <c>grpc</c> (cleartext HTTP/2)
    /// endpoints, both declared in its appsettings.json (on localhost only: callers come through
    /// the gateway), on the shared infrastructure, verifying identities with the shared secret.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddPlatformService<TProject>(
        this IDistributedApplicationBuilder builder, string name, MlPlatformInfrastructure infrastructure, PlatformSecrets secrets)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name)
            .WithEnvironment(IdentitySigningKeyVariable, secrets.IdentitySigningKey)
            .WithReference(infrastructure.Postgres).WaitFor(infrastructure.Postgres, WaitBehavior.StopOnResourceUnavailable)
            .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging, WaitBehavior.StopOnResourceUnavailable)
            .WithEnvironment("MlPlatform__BlobStore__Path", Path.Combine(infrastructure.StateDirectory, "blobs", name))
            .WithHttpHealthCheck("/health", endpointName: "http");

    /// <summary>
    /// The gateway on fixed, documented ports: gRPC (cleartext HTTP/2) on 8080, REST and the
    /// portal (HTTP/1.1) on 8081 — Kestrel cannot serve both on one cleartext port.
    /// <c>MlPlatform:Gateway:GrpcPort</c> and <c>MlPlatform:Gateway:HttpPort</c> move them.
    /// It keeps API keys in its own schema of the shared database, takes the bootstrap admin key,
    /// and signs the identities it forwards.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddGateway(
        this IDistributedApplicationBuilder builder,
        IReadOnlyList<IResourceBuilder<ProjectResource>> services,
        MlPlatformInfrastructure infrastructure,
        PlatformSecrets secrets)
    {
        var grpcPort = builder.Configuration.GetValue("MlPlatform:Gateway:GrpcPort", 8080);
        var httpPort = builder.Configuration.GetValue("MlPlatform:Gateway:HttpPort", 8081);
        var gateway = builder.AddProject<Projects.MlPlatform_Gateway>("gateway")
            .WithEndpoint("grpc", e => e.Port = grpcPort)
            .WithEndpoint("http", e => e.Port = httpPort)
            .WithHttpHealthCheck("/health", endpointName: "http")
            .WithExternalHttpEndpoints()
            .WithReference(infrastructure.Postgres).WaitFor(infrastructure.Postgres, WaitBehavior.StopOnResourceUnavailable)
            .WithEnvironment("MlPlatform__Gateway__AdminApiKey", secrets.AdminApiKey)
            .WithEnvironment(IdentitySigningKeyVariable, secrets.IdentitySigningKey);
        foreach (var service in services)
        {
            gateway.WithReference(service).WaitFor(service);
        }

        builder.Eventing.Subscribe<ResourceReadyEvent>(gateway.Resource, (_, _) =>
        {
            Console.WriteLine($"MlPlatform gateway: gRPC http://localhost:{grpcPort} · REST http://localhost:{httpPort}/api/v1/… · dashboard {builder.Configuration["ASPNETCORE_URLS"]}");
            Console.WriteLine("Admin API key: dotnet user-secrets list --project aspire/MlPlatform.AppHost  (Parameters:admin-api-key)");
            return Task.CompletedTask;
        });
        return gateway;
    }
}
