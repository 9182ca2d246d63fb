using System.Reflection;
using Grpc.AspNetCore.HealthChecks;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MlPlatform.Hosting.Security;

namespace MlPlatform.Hosting.Grpc;

public static class GrpcApiExtensions
{
    /// <summary>
    /// gRPC with error translation, REST/JSON transcoding of the <c>google.api.http</c> routes,
    /// server reflection, and <c>grpc.health.v1</c> backed by the service's health checks — and
    /// callers must present an identity signed by the gateway (<see cref="IdentityExtensions.AddPlatformIdentity"/>).
    /// </summary>
    public static IHostApplicationBuilder AddGrpcApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGrpc(options =>
        {
            options.Interceptors.Add<ErrorInterceptor>();
            options.EnableDetailedErrors = false;
        }).AddJsonTranscoding();
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks();
        builder.AddPlatformIdentity();
        return builder;
    }

    /// <summary>
    /// Maps the service's gRPC implementation with health and reflection beside it. Health
    /// answers for the API's own name (e.g. <c>mlplatform.datasets.v1.Datasets</c>) as well as
    /// for the whole server (<c>""</c>), both backed by every health check. The API (gRPC and its
    /// REST routes) and reflection require a gateway-signed identity; health does not, so the
    /// AppHost, orchestrators and the gateway can probe it.
    /// </summary>
    public static IEndpointRouteBuilder MapGrpcApi<TService>(this IEndpointRouteBuilder app) where TService : class
    {
        app.ServiceProvider.GetRequiredService<IOptions<GrpcHealthChecksOptions>>().Value
            .Services.Map(ApiName<TService>(), _ => true);
        app.MapGrpcService<TService>().RequireAuthorization(PlatformIdentity.Policy);
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService().RequireAuthorization(PlatformIdentity.Policy);
        return app;
    }

    // Generated service bases carry [BindServiceMethod(typeof(Api), ...)]; Api.Descriptor names the service.
    private static string ApiName<TService>()
    {
        var binding = typeof(TService).BaseType?.GetCustomAttribute<BindServiceMethodAttribute>()
            ?? throw new InvalidOperationException($"{typeof(TService).Name} does not derive from a generated gRPC service base.");
        var descriptor = (Google.Protobuf.Reflection.ServiceDescriptor)binding.BindType.GetProperty("Descriptor")!.GetValue(null)!;
        return descriptor.FullName;
    }
}
