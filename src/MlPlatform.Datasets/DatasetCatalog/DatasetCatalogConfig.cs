using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using MlPlatform.Datasets.DeprecatingVersions;
using MlPlatform.Datasets.UploadingVersions;

namespace MlPlatform.Datasets.DatasetCatalog;

internal static class DatasetCatalogConfig
{
    /// <summary>Read models are updated in the transaction that appends the events, so a version is readable once its upload returns.</summary>
    public static void AddDatasetCatalog(this StoreOptions options)
    {
        options.Projections.Snapshot<Dataset>(SnapshotLifecycle.Inline);
        options.Projections.Add<DatasetVersionProjection>(ProjectionLifecycle.Inline);

        // The stream's optimistic concurrency already keeps content unique per dataset; the index
        // makes the database say so too, and finds a version by its content quickly.
        options.Schema.For<DatasetVersion>().UniqueIndex(v => v.Dataset, v => v.Sha256);
    }
}

/// <summary>One document per version, keyed by <see cref="DatasetVersion.Key"/>.</summary>
internal sealed class DatasetVersionProjection : MultiStreamProjection<DatasetVersion, string>
{
    public DatasetVersionProjection()
    {
        Identity<DatasetVersionAdded>(added => DatasetVersion.Key(added.Dataset, added.Version));
        Identity<DatasetVersionDeprecated>(deprecated => DatasetVersion.Key(deprecated.Dataset, deprecated.Version));
    }

    public static DatasetVersion Create(DatasetVersionAdded added) => DatasetVersion.From(added);

    public static DatasetVersion Apply(DatasetVersionDeprecated deprecated, DatasetVersion version) => version.Apply(deprecated);
}
