using MlPlatform.Hosting.Grpc;
using MlPlatform.Tracking.Database;
using MlPlatform.Tracking.Runs;
using Npgsql;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Metrics;

/// <summary>
/// GetMetricHistory: one series in step order, read from its chunk rows — a million points are
/// a hundred to a thousand rows, not a million index entries — and merged by <see cref="ChunkMerge"/>.
/// </summary>
internal sealed class MetricHistoryReader(NpgsqlDataSource dataSource, TrackingTables tables)
{
    public const int DefaultPageSize = 10_000;

    /// <summary>About 2 MB of response, under gRPC's default 4 MB message limit.</summary>
    public const int MaxPageSize = 100_000;

    private readonly string _series = $"""
        SELECT m.series_id, m.point_count FROM {tables.MetricSeries} m JOIN {tables.Runs} r USING (run_no)
        WHERE r.run_id = $1 AND m.key = $2
        """;

    private readonly string _runExists = $"SELECT 1 FROM {tables.Runs} WHERE run_id = $1";

    // Chunk rows are read in two steps: their small columns first (to plan the merge), then the
    // arrays of just the chunks a page needs — never megabytes of points only to drop them.
    private readonly string _chunkInfos = $"""
        SELECT chunk_id, first_step, point_count FROM {tables.MetricChunks}
        WHERE series_id = $1 AND last_step >= $2 AND (first_step, chunk_id) > ($3, $4)
          AND NOT (chunk_id = $5 AND point_count <= $6) -- the chunk the previous page finished
        ORDER BY first_step, chunk_id
        LIMIT 256
        """;

    private readonly string _chunkPoints = $"""
        SELECT chunk_id, steps, timestamps_ms, metric_values FROM {tables.MetricChunks}
        WHERE series_id = $1 AND last_step >= $2 AND (first_step, chunk_id) >= ($3, $4) AND (first_step, chunk_id) <= ($5, $6)
        """;

    public async Task<TrackingApi.MetricHistory> ReadAsync(TrackingApi.GetMetricHistoryRequest request, CancellationToken cancellationToken)
    {
        var runId = RunIds.Require(request.RunId);
        if (request.Key.Length == 0)
        {
            throw Errors.InvalidArgument("key is required.");
        }

        var pageSize = request.PageSize switch
        {
            < 0 => throw Errors.InvalidArgument("page_size must not be negative."),
            0 => DefaultPageSize,
            _ => Math.Min(request.PageSize, MaxPageSize),
        };
        if (request.MaxPoints is < 0 or 1)
        {
            throw Errors.InvalidArgument("max_points is 0 (every point) or at least 2.");
        }

        if (request.MaxPoints > 0 && request.PageToken.Length > 0)
        {
            throw Errors.InvalidArgument("max_points returns the whole series in one page; leave page_token empty.");
        }

        var after = Position.Parse(request.PageToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var history = new TrackingApi.MetricHistory { Key = request.Key };
        var (seriesId, pointCount) = await FindSeriesAsync(connection, runId, request.Key, cancellationToken);
        if (seriesId == 0)
        {
            return history;
        }

        var chunks = new ChunkSource(connection, _chunkInfos, _chunkPoints, seriesId, after);
        if (request.MaxPoints > 0 && pointCount > request.MaxPoints)
        {
            var sampler = new MinMaxSampler(history, pointCount, request.MaxPoints);
            await ChunkMerge.MergeAsync(chunks, after: null, int.MaxValue, sampler.Add, cancellationToken);
            sampler.Flush();
            return history;
        }

        var limit = request.MaxPoints > 0 ? request.MaxPoints : pageSize;
        history.Steps.Capacity = history.Values.Capacity = history.TimestampsMs.Capacity = (int)Math.Min(limit, pointCount);
        var (last, more) = await ChunkMerge.MergeAsync(chunks, after, limit, (chunk, from, to) =>
        {
            history.Steps.AddRange(new ArraySegment<long>(chunk.Steps, from, to - from));
            history.Values.AddRange(new ArraySegment<double>(chunk.Values, from, to - from));
            history.TimestampsMs.AddRange(new ArraySegment<long>(chunk.Timestamps, from, to - from));
        }, cancellationToken);
        if (more)
        {
            history.NextPageToken = last.ToToken();
        }

        return history;
    }

    private async Task<(long SeriesId, long PointCount)> FindSeriesAsync(NpgsqlConnection connection, string runId, string key, CancellationToken cancellationToken)
    {
        await using (var command = new NpgsqlCommand(_series, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                return (reader.GetInt64(0), reader.GetInt64(1));
            }
        }

        // No series: an existing run simply has not logged this key.
        await using var exists = new NpgsqlCommand(_runExists, connection);
        exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
        return await exists.ExecuteScalarAsync(cancellationToken) is null
            ? throw Errors.NotFound($"Run '{runId}' does not exist.")
            : (0, 0);
    }
}
