using JasperFx.Events.Projections;
using Marten;

namespace MlPlatform.Datasets.DatasetCatalog;

public sealed record DatasetCreated(string Name, string Description, IReadOnlyDictionary<string, string> Tags, DateTimeOffset CreatedAt);

/// <summary>A dataset, folded from its event stream (the stream id is the dataset name).</summary>
public sealed record Dataset(string Id, string Description, IReadOnlyDictionary<string, string> Tags, DateTimeOffset CreatedAt, int LatestVersion)
{
    public static Dataset Create(DatasetCreated created) =>
        new(created.Name, created.Description, created.Tags, created.CreatedAt, LatestVersion: 0);
}

internal static class DatasetCatalogConfig
{
    public static void AddDatasetCatalog(this StoreOptions options) =>
        options.Projections.Snapshot<Dataset>(SnapshotLifecycle.Inline);
}
