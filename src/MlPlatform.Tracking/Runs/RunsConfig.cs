using JasperFx.Events.Projections;
using Marten;
using MlPlatform.Tracking.Artifacts;
using MlPlatform.Tracking.Database;
using MlPlatform.Tracking.Params;
using MlPlatform.Tracking.Search;
using MlPlatform.Tracking.Tags;

namespace MlPlatform.Tracking.Runs;

internal static class RunsConfig
{
    public static void AddRuns(this StoreOptions options)
    {
        options.Events.AddEventTypes(
        [
            typeof(RunStarted), typeof(RunEnded), typeof(RunDeleted), typeof(RunRestored),
            typeof(ParamsLogged), typeof(TagsSet), typeof(ArtifactUploaded),
        ]);
        options.Projections.Snapshot<Run>(SnapshotLifecycle.Inline);
        options.Projections.Add(new SearchIndexProjection(new TrackingTables(options.DatabaseSchemaName)), ProjectionLifecycle.Inline);
    }
}
