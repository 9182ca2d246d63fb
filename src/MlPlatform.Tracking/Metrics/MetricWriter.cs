using MlPlatform.Hosting.Grpc;
using MlPlatform.Tracking.Database;
using Npgsql;

namespace MlPlatform.Tracking.Metrics;

/// <summary>
/// Stores a batch of metric points with one statement (one round trip, atomic without an explicit
/// transaction): it share-locks the run row only if the run is RUNNING — so EndRun, which locks
/// it for update, waits for batches in flight and every later batch sees the run ended —,
/// upserts each key's latest point, and inserts one chunk row per key sliced from three flat arrays.
/// </summary>
internal sealed class MetricWriter(NpgsqlDataSource dataSource, TrackingTables tables)
{
    private readonly string _insert = $"""
        WITH run AS (
            SELECT run_no FROM {tables.Runs} WHERE run_id = $1 AND status = 'RUNNING' AND NOT deleted FOR SHARE
        ), series AS (
            INSERT INTO {tables.MetricSeries} AS s (run_no, key, value, step, timestamp_ms, point_count)
            SELECT run.run_no, b.key, b.value, b.step, b.timestamp_ms, b.point_count
            FROM run, unnest($2::text[], $3::double precision[], $4::bigint[], $5::bigint[], $6::bigint[])
                AS b(key, value, step, timestamp_ms, point_count)
            ON CONFLICT (run_no, key) DO UPDATE SET
                point_count = s.point_count + excluded.point_count,
                value = CASE WHEN (excluded.step, excluded.timestamp_ms) >= (s.step, s.timestamp_ms) THEN excluded.value ELSE s.value END,
                timestamp_ms = CASE WHEN (excluded.step, excluded.timestamp_ms) >= (s.step, s.timestamp_ms) THEN excluded.timestamp_ms ELSE s.timestamp_ms END,
                step = greatest(s.step, excluded.step)
            RETURNING s.series_id, s.key
        )
        INSERT INTO {tables.MetricChunks} (series_id, first_step, last_step, point_count, steps, timestamps_ms, metric_values)
        SELECT series.series_id, ($7::bigint[])[c.lo], ($7::bigint[])[c.hi], c.hi - c.lo + 1,
               ($7::bigint[])[c.lo:c.hi], ($8::bigint[])[c.lo:c.hi], ($9::double precision[])[c.lo:c.hi]
        FROM unnest($2::text[], $10::integer[], $11::integer[]) AS c(key, lo, hi)
        JOIN series ON series.key = c.key
        """;

    private readonly string _runState = $"SELECT status, deleted FROM {tables.Runs} WHERE run_id = $1";

    public async Task WriteAsync(string runId, MetricBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(_insert, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = batch.Keys });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = batch.LatestValues });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = batch.LatestSteps });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = batch.LatestTimestamps });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = batch.PointCounts });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = batch.Steps });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = batch.Timestamps });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = batch.Values });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = batch.SegmentStarts });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = batch.SegmentEnds });

        // Prepared once per pooled connection, so the statement is not parsed and planned per batch.
        await command.PrepareAsync(cancellationToken);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw await WhyNotWritableAsync(runId, cancellationToken);
        }
    }

    private async Task<Exception> WhyNotWritableAsync(string runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(_runState);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return Errors.NotFound($"Run '{runId}' does not exist.");
        }

        return reader.GetBoolean(1)
            ? Errors.FailedPrecondition($"Run '{runId}' is deleted; restore it first.")
            : Errors.FailedPrecondition($"Run '{runId}' is {reader.GetString(0)}; metrics can only be logged while it is RUNNING.");
    }
}
