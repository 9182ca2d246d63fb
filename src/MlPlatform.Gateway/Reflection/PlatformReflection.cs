using Grpc.Reflection;
using MlPlatform.Api.Builds.V1;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.Api.Deployments.V1;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Gateway.Reflection;

internal static class PlatformReflection
{
    /// <summary>
    /// Server reflection at the gateway describes the whole platform API, not only the gateway's
    /// own service, so <c>grpcurl -plaintext localhost:8080 list</c> shows every service.
    /// </summary>
    public static IServiceCollection AddPlatformReflection(this IServiceCollection services) =>
        services.AddSingleton(new ReflectionServiceImpl(
            Datasets.Descriptor,
            Tracking.Descriptor,
            Registry.Descriptor,
            Builds.Descriptor,
            Deployments.Descriptor,
            MlPlatform.Api.Access.V1.Access.Descriptor,
            Grpc.Health.V1.Health.Descriptor));

    public static IEndpointRouteBuilder MapPlatformReflection(this IEndpointRouteBuilder app)
    {
        app.MapGrpcService<ReflectionServiceImpl>();
        return app;
    }
}
