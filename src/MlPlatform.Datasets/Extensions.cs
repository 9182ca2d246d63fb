using MlPlatform.Hosting.EventStore;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Messaging;
using MlPlatform.Datasets.DatasetCatalog;

namespace MlPlatform.Datasets;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddGrpcApi();
        builder.AddEventStore("datasets", options => options.AddDatasetCatalog());
        builder.AddMessaging("datasets");
    }
}
