using MlPlatform.Contracts;
using MlPlatform.Datasets.DatasetCatalog;
using MlPlatform.Datasets.Profiling;

namespace MlPlatform.Datasets.UploadingVersions;

public sealed record DatasetVersionAdded(
    string Dataset,
    int Version,
    string Sha256,
    long SizeBytes,
    DatasetFormat Format,
    long RowCount,
    IReadOnlyList<ColumnSummary> Columns,
    string Description,
    IReadOnlyDictionary<string, string> Tags,
    DateTimeOffset CreatedAt)
{
    /// <summary>What other services learn of it: the schema without the profile.</summary>
    public DatasetVersionCreated ToIntegrationEvent() => new(
        Dataset,
        Version,
        Sha256,
        SizeBytes,
        RowCount,
        [.. Columns.Select(column => new DatasetColumn(column.Name, ContractName(column.Type), column.Nullable))],
        CreatedAt);

    private static string ContractName(ColumnType type) => type switch
    {
        ColumnType.Int64 => "int64",
        ColumnType.Double => "double",
        ColumnType.Bool => "bool",
        ColumnType.Timestamp => "timestamp",
        _ => "string",
    };
}
