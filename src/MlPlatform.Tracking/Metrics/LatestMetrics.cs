using MlPlatform.Tracking.Database;
using Npgsql;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Metrics;

/// <summary>The latest point of every metric of some runs, from the one-row-per-key series table.</summary>
internal sealed class LatestMetrics(NpgsqlDataSource dataSource, TrackingTables tables)
{
    private readonly string _forRuns = $"""
        SELECT r.run_id, m.key, m.value, m.step, m.timestamp_ms
        FROM {tables.MetricSeries} m JOIN {tables.Runs} r USING (run_no)
        WHERE r.run_id = ANY($1)
        ORDER BY m.key
        """;

    private readonly string _lockRun = $"SELECT 1 FROM {tables.Runs} WHERE run_id = $1 FOR UPDATE";

    public async Task<ILookup<string, TrackingApi.MetricPoint>> ForRunsAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(_forRuns);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. runIds] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadAsync(reader, cancellationToken);
    }

    /// <summary>
    /// Locks the run's row for update first, inside the caller's transaction: metric batches in
    /// flight finish before the read, and batches after it wait and then find the run ended.
    /// </summary>
    public async Task<IReadOnlyList<TrackingApi.MetricPoint>> FinalForRunAsync(NpgsqlConnection connection, string runId, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(_lockRun) { Parameters = { new NpgsqlParameter<string> { TypedValue = runId } } },
                new NpgsqlBatchCommand(_forRuns) { Parameters = { new NpgsqlParameter<string[]> { TypedValue = [runId] } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return [.. (await ReadAsync(reader, cancellationToken))[runId]];
    }

    private static async Task<ILookup<string, TrackingApi.MetricPoint>> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var points = new List<(string RunId, TrackingApi.MetricPoint Point)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            points.Add((reader.GetString(0), new TrackingApi.MetricPoint
            {
                Key = reader.GetString(1),
                Value = reader.GetDouble(2),
                Step = reader.GetInt64(3),
                TimestampMs = reader.GetInt64(4),
            }));
        }

        return points.ToLookup(p => p.RunId, p => p.Point);
    }
}
