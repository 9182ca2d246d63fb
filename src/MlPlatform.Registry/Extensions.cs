using MlPlatform.Hosting.EventStore;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Messaging;
using MlPlatform.Registry.RegisteredModels;

namespace MlPlatform.Registry;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddGrpcApi();
        builder.AddEventStore("registry", options => options.AddRegisteredModels());
        builder.AddMessaging("registry");
    }
}
