using MlPlatform.Builds.DatasetVersions;
using MlPlatform.Builds.TrainingJobs;
using MlPlatform.Hosting.EventStore;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Messaging;

namespace MlPlatform.Builds;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddGrpcApi();
        builder.AddEventStore("builds", options => options.AddTrainingJobs());
        builder.AddMessaging("builds", bus => bus.AddConsumer<DatasetVersionCreatedConsumer>());
    }
}
