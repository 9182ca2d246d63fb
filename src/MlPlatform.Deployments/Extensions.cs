using MlPlatform.Deployments.Endpoints;
using MlPlatform.Hosting.EventStore;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Messaging;

namespace MlPlatform.Deployments;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddGrpcApi();
        builder.AddEventStore("deployments", options => options.AddEndpoints());
        builder.AddMessaging("deployments");
    }
}
