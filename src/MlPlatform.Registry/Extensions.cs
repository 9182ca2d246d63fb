using MlPlatform.Hosting.EventStore;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Messaging;
using MlPlatform.Registry.Deployments;
using MlPlatform.Registry.ModelCatalog;
using MlPlatform.Registry.RegisteringVersions;

namespace MlPlatform.Registry;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddGrpcApi();
        builder.AddEventStore("registry", options =>
        {
            options.AddModelCatalog();
            options.AddDeploymentReplica();
        });
        builder.AddMessaging("registry", bus => bus.AddDeploymentConsumers());
        builder.Services.AddScoped<ModelHistoryWriter>();
        builder.AddTrackingClient();
    }
}
