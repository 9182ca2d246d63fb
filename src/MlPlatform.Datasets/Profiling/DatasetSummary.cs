using System.Text.Json.Serialization;

namespace MlPlatform.Datasets.Profiling;

/// <summary>What a dataset file holds: its rows and, per column, the inferred type and profile.</summary>
public sealed record DatasetSummary(long RowCount, IReadOnlyList<ColumnSummary> Columns);

public sealed record ColumnSummary(string Name, ColumnType Type, bool Nullable, ColumnProfile Profile);

/// <param name="Count">Non-empty values.</param>
/// <param name="Min">Smallest value as text in the column's type; null when the column has no value.</param>
/// <param name="Mean">For numbers and booleans (true = 1).</param>
/// <param name="StdDev">Sample standard deviation, for numbers and booleans with at least two values.</param>
/// <param name="TopValues">For strings: the most frequent values, most frequent first.</param>
public sealed record ColumnProfile(
    long Count,
    long NullCount,
    string? Min,
    string? Max,
    double? Mean,
    double? StdDev,
    long DistinctEstimate,
    IReadOnlyList<ValueCount> TopValues);

public sealed record ValueCount(string Value, long Count);

/// <summary>Column types from narrowest to widest: a column gets the first one all its values fit.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ColumnType>))]
public enum ColumnType
{
    Int64,
    Double,
    Bool,
    Timestamp,
    String,
}
