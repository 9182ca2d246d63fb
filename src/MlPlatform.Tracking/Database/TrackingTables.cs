namespace MlPlatform.Tracking.Database;

/// <summary>
/// The tables the service keeps beside Marten's, qualified by its schema: a flat row per run and
/// key/value rows for its params, tags, dataset inputs and latest metrics (what search reads),
/// and the chunked metric time series.
/// </summary>
internal sealed class TrackingTables(string schema)
{
    /// <summary>
    /// Param and tag values can be 6000 characters, beyond what a btree entry holds: their indexes
    /// hold this many leading characters (the <c>value_prefix</c> column).
    /// </summary>
    public const int ValuePrefixLength = 200;

    public string Schema { get; } = Quote(schema);

    public string Runs => $"{Schema}.runs";

    public string Params => $"{Schema}.run_params";

    public string Tags => $"{Schema}.run_tags";

    public string Datasets => $"{Schema}.run_datasets";

    /// <summary>One row per (run, metric key) holding its latest point: what search and GetRun read.</summary>
    public string MetricSeries => $"{Schema}.metric_series";

    /// <summary>The points themselves, as arrays of up to a batch of points per row.</summary>
    public string MetricChunks => $"{Schema}.metric_chunks";

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
