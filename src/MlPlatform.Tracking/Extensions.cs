using Marten;
using MlPlatform.BlobStorage;
using MlPlatform.Hosting.EventStore;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Messaging;
using MlPlatform.Tracking.Database;
using MlPlatform.Tracking.Experiments;
using MlPlatform.Tracking.Metrics;
using MlPlatform.Tracking.Runs;
using MlPlatform.Tracking.Search;

namespace MlPlatform.Tracking;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddGrpcApi();
        builder.AddEventStore("tracking", options =>
        {
            // Enums by name in stored events and documents: readable in SQL, safe if members are reordered.
            options.UseSystemTextJsonForSerialization(Weasel.Core.EnumStorage.AsString);
            options.AddExperiments();
            options.AddRuns();
        });
        builder.AddMessaging("tracking");
        builder.AddBlobStore();

        var services = builder.Services;
        services.AddSingleton(sp => new TrackingTables(sp.GetRequiredService<IDocumentStore>().Options.DatabaseSchemaName));
        services.AddHostedService<TrackingSchema>();
        services.AddSingleton<MetricWriter>();
        services.AddSingleton<MetricHistoryReader>();
        services.AddSingleton<LatestMetrics>();
        services.AddScoped<RunReader>();
        services.AddScoped<SearchRuns>();
    }
}
