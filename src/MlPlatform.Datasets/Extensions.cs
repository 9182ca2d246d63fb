using MlPlatform.BlobStorage;
using MlPlatform.Datasets.DatasetCatalog;
using MlPlatform.Datasets.UploadingVersions;
using MlPlatform.Hosting.EventStore;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Messaging;

namespace MlPlatform.Datasets;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddGrpcApi();
        builder.AddEventStore("datasets", options => options.AddDatasetCatalog());
        builder.AddMessaging("datasets");
        builder.AddBlobStore();
        builder.AddUploadingVersions();

        // Concurrent uploads to one dataset conflict by design and are retried, but Marten logs
        // every rejected commit as an error. Failures that are not retried still reach the log
        // through the gRPC error interceptor.
        builder.Logging.AddFilter("Marten.IDocumentStore", LogLevel.Critical);
    }
}
