using Google.Protobuf.WellKnownTypes;
using MlPlatform.Datasets.Profiling;
using DatasetsApi = MlPlatform.Api.Datasets.V1;

namespace MlPlatform.Datasets.Grpc;

internal static class ApiMapping
{
    public static DatasetsApi.Dataset ToApi(this DatasetCatalog.Dataset dataset) => new()
    {
        Name = dataset.Id,
        Description = dataset.Description,
        Tags = { dataset.Tags.ToDictionary() },
        CreatedAt = Timestamp.FromDateTimeOffset(dataset.CreatedAt),
        LatestVersion = dataset.LatestVersion,
    };

    public static DatasetsApi.DatasetVersion ToApi(this DatasetCatalog.DatasetVersion version) => new()
    {
        Dataset = version.Dataset,
        Version = version.Number,
        Sha256 = version.Sha256,
        SizeBytes = version.SizeBytes,
        Format = version.Format switch
        {
            DatasetCatalog.DatasetFormat.Csv => DatasetsApi.DatasetFormat.Csv,
            _ => DatasetsApi.DatasetFormat.Unspecified,
        },
        RowCount = version.RowCount,
        Columns = { version.Columns.Select(ToApi) },
        Description = version.Description,
        Tags = { version.Tags.ToDictionary() },
        CreatedAt = Timestamp.FromDateTimeOffset(version.CreatedAt),
        Deprecated = version.Deprecated,
        DeprecationReason = version.DeprecationReason ?? string.Empty,
        DeprecatedAt = version.DeprecatedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
    };

    private static DatasetsApi.Column ToApi(ColumnSummary column)
    {
        var profile = new DatasetsApi.ColumnProfile
        {
            Count = column.Profile.Count,
            NullCount = column.Profile.NullCount,
            Min = column.Profile.Min ?? string.Empty,
            Max = column.Profile.Max ?? string.Empty,
            DistinctEstimate = column.Profile.DistinctEstimate,
            TopValues = { column.Profile.TopValues.Select(top => new DatasetsApi.ValueCount { Value = top.Value, Count = top.Count }) },
        };
        if (column.Profile.Mean is { } mean)
        {
            profile.Mean = mean;
        }

        if (column.Profile.StdDev is { } stdDev)
        {
            profile.Stddev = stdDev;
        }

        return new DatasetsApi.Column
        {
            Name = column.Name,
            Type = column.Type switch
            {
                ColumnType.Int64 => DatasetsApi.ColumnType.Int64,
                ColumnType.Double => DatasetsApi.ColumnType.Double,
                ColumnType.Bool => DatasetsApi.ColumnType.Bool,
                ColumnType.Timestamp => DatasetsApi.ColumnType.Timestamp,
                _ => DatasetsApi.ColumnType.String,
            },
            Nullable = column.Nullable,
            Profile = profile,
        };
    }
}
