namespace MlPlatform.Contracts;

/// <summary>A new, immutable dataset version was committed.</summary>
public sealed record DatasetVersionCreated(
    string Dataset,
    int Version,
    string Sha256,
    long SizeBytes,
    long RowCount,
    IReadOnlyList<DatasetColumn> Schema,
    DateTimeOffset CreatedAt);

/// <summary>One column of a dataset version's inferred schema.</summary>
/// <param name="Type">One of <c>int64</c>, <c>double</c>, <c>bool</c>, <c>timestamp</c>, <c>string</c>.</param>
public sealed record DatasetColumn(string Name, string Type, bool Nullable);
