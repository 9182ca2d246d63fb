using Microsoft.Extensions.Configuration;
using MlPlatform.AppHost.Infrastructure;

namespace MlPlatform.AppHost;

/// <summary>How the AppHost adds MlPlatform's own processes.</summary>
internal static class PlatformResources
{
    /// <summary>
    /// A service with its <c>http</c> (health, HTTP/1.1) and <c>grpc</c> (cleartext HTTP/2)
    /// endpoints, both declared in its appsettings.json, on the shared infrastructure.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddPlatformService<TProject>(
        this IDistributedApplicationBuilder builder, string name, MlPlatformInfrastructure infrastructure)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name)
            .WithReference(infrastructure.Postgres).WaitFor(infrastructure.Postgres, WaitBehavior.StopOnResourceUnavailable)
            .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging, WaitBehavior.StopOnResourceUnavailable)
            .WithEnvironment("MlPlatform__BlobStore__Path", Path.Combine(infrastructure.StateDirectory, "blobs", name))
            .WithHttpHealthCheck("/health", endpointName: "http");

    /// <summary>
    /// The gateway on fixed, documented ports: gRPC (cleartext HTTP/2) on 8080, REST and the
    /// portal (HTTP/1.1) on 8081 — Kestrel cannot serve both on one cleartext port.
    /// <c>MlPlatform:Gateway:GrpcPort</c> and <c>MlPlatform:Gateway:HttpPort</c> move them.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddGateway(
        this IDistributedApplicationBuilder builder, IReadOnlyList<IResourceBuilder<ProjectResource>> services)
    {
        var grpcPort = builder.Configuration.GetValue("MlPlatform:Gateway:GrpcPort", 8080);
        var httpPort = builder.Configuration.GetValue("MlPlatform:Gateway:HttpPort", 8081);
        var gateway = builder.AddProject<Projects.MlPlatform_Gateway>("gateway")
            .WithEndpoint("grpc", e => e.Port = grpcPort)
            .WithEndpoint("http", e => e.Port = httpPort)
            .WithHttpHealthCheck("/health", endpointName: "http")
            .WithExternalHttpEndpoints();
        foreach (var service in services)
        {
            gateway.WithReference(service).WaitFor(service);
        }

        builder.Eventing.Subscribe<ResourceReadyEvent>(gateway.Resource, (_, _) =>
        {
            Console.WriteLine($"MlPlatform gateway: gRPC http://localhost:{grpcPort} · REST http://localhost:{httpPort}/api/v1/… · dashboard {builder.Configuration["ASPNETCORE_URLS"]}");
            return Task.CompletedTask;
        });
        return gateway;
    }
}
