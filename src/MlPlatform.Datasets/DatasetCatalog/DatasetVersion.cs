using MlPlatform.Datasets.DeprecatingVersions;
using MlPlatform.Datasets.Profiling;
using MlPlatform.Datasets.UploadingVersions;

namespace MlPlatform.Datasets.DatasetCatalog;

/// <summary>One immutable version of a dataset: a read model projected from the dataset's stream.</summary>
/// <param name="Id">See <see cref="Key"/>.</param>
/// <param name="Number">The version number. Not called <c>Version</c>: Marten would take that for the document's revision.</param>
public sealed record DatasetVersion(
    string Id,
    string Dataset,
    int Number,
    string Sha256,
    long SizeBytes,
    DatasetFormat Format,
    long RowCount,
    IReadOnlyList<ColumnSummary> Columns,
    string Description,
    IReadOnlyDictionary<string, string> Tags,
    DateTimeOffset CreatedAt,
    bool Deprecated = false,
    string? DeprecationReason = null,
    DateTimeOffset? DeprecatedAt = null)
{
    public static string Key(string dataset, int version) => $"{dataset}/{version}";

    public static DatasetVersion From(DatasetVersionAdded added) => new(
        Key(added.Dataset, added.Version),
        added.Dataset,
        added.Version,
        added.Sha256,
        added.SizeBytes,
        added.Format,
        added.RowCount,
        added.Columns,
        added.Description,
        added.Tags,
        added.CreatedAt);

    public DatasetVersion Apply(DatasetVersionDeprecated deprecated) =>
        this with { Deprecated = true, DeprecationReason = deprecated.Reason, DeprecatedAt = deprecated.DeprecatedAt };
}
