using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MlPlatform.Hosting.Grpc;

public static class GrpcApiExtensions
{
    /// <summary>
    /// gRPC with error translation, REST/JSON transcoding of the <c>google.api.http</c> routes,
    /// server reflection, and <c>grpc.health.v1</c> backed by the service's health checks.
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
        return builder;
    }

    /// <summary>Maps the service's gRPC implementation with health and reflection beside it.</summary>
    public static IEndpointRouteBuilder MapGrpcApi<TService>(this IEndpointRouteBuilder app) where TService : class
    {
        app.MapGrpcService<TService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
