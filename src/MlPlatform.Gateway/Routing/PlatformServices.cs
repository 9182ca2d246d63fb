namespace MlPlatform.Gateway.Routing;

/// <summary>A service behind the gateway: its gRPC service name and the REST paths it serves.</summary>
/// <param name="Name">Its resource name, which service discovery resolves (<c>http://_grpc.{Name}</c>).</param>
public sealed record PlatformService(string Name, string GrpcService, IReadOnlyList<string> RestPaths)
{
    public Uri Address => new($"http://_grpc.{Name}");
}

/// <summary>The services the gateway fronts — the one table to change when a service is added.</summary>
public static class PlatformServices
{
    public static readonly IReadOnlyList<PlatformService> All =
    [
        new("datasets", "mlplatform.datasets.v1.Datasets", ["/api/v1/datasets"]),
        new("tracking", "mlplatform.tracking.v1.Tracking", ["/api/v1/experiments", "/api/v1/runs"]),
        new("registry", "mlplatform.registry.v1.Registry", ["/api/v1/models"]),
        new("builds", "mlplatform.builds.v1.Builds", ["/api/v1/training-jobs", "/api/v1/retraining-policies", "/api/v1/packages"]),
        new("deployments", "mlplatform.deployments.v1.Deployments", ["/api/v1/endpoints"]),
    ];
}
