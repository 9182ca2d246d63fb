using MlPlatform.Hosting.EventStore;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Messaging;
using MlPlatform.Tracking.Experiments;

namespace MlPlatform.Tracking;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddGrpcApi();
        builder.AddEventStore("tracking", options => options.AddExperiments());
        builder.AddMessaging("tracking");
    }
}
