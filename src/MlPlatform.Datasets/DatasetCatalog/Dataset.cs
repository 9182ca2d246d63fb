using MlPlatform.Datasets.CreatingDatasets;
using MlPlatform.Datasets.UploadingVersions;

namespace MlPlatform.Datasets.DatasetCatalog;

/// <summary>A dataset, folded from its event stream (the stream id is the dataset name).</summary>
/// <param name="LatestVersion">Highest version number assigned so far; 0 before the first upload.</param>
public sealed record Dataset(string Id, string Description, IReadOnlyDictionary<string, string> Tags, DateTimeOffset CreatedAt, int LatestVersion)
{
    public static Dataset Create(DatasetCreated created) =>
        new(created.Name, created.Description, created.Tags, created.CreatedAt, LatestVersion: 0);

    public Dataset Apply(DatasetVersionAdded added) => this with { LatestVersion = added.Version };
}
