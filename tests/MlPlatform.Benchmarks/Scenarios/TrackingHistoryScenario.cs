using System.Diagnostics;
using MlPlatform.Api.Tracking.V1;
using MlPlatform.Benchmarks.Harness;
using Npgsql;

namespace MlPlatform.Benchmarks.Scenarios;

/// <summary>
/// Issue 4, history: one key with 1 000 000 points read back in full through the real gateway
/// with GetMetricHistory, page after page — warm (median of 3 reads) and cold (the first read
/// after PostgreSQL was restarted and its files evicted from the page cache, see
/// <see cref="PostgresRestart"/>, with a freshly started and warmed-up Tracking process). Beside
/// it, in the same run and the same PostgreSQL, warm and cold: the raw SQL read of the same chunk
/// rows (ceiling of this layout), and the naive layout's read of 1M rows in step order from a
/// row-per-point table with a btree on (run, key, step).
/// </summary>
internal sealed class TrackingHistoryScenario : IScenario
{
    private const string Key = "loss";
    private const long RowTableRun = 1;
    private const long RowTableWarmupRun = 2;
    private static readonly string[] s_cpuColumns = ["benchmark (client + sinks)", "tracking", "gateway"];

    public string Name => "tracking-history";

    public string Summary => "GetMetricHistory of one 1M-point key through the gateway, warm and cold, vs raw SQL reads";

    public IReadOnlyList<OptionSpec> Options =>
    [
        new("points", "Points of the measured key.", "1000000"),
        new("load-batch", "Points per LogMetrics call when loading (each call becomes one chunk row).", "10000"),
        new("page-size", "GetMetricHistory page size (the service caps it at 100 000).", "100000"),
        new("warm-reads", "Warm reads per run; their median is the run's warm figure.", "3"),
        new("perf", "After measuring, profile one warm GetMetricHistory read with `perf` (Tracking and gateway) and add the top frames.", IsFlag: true),
        new("warmup-points", "Points of a second series read to warm the code paths (never the measured data) before each cold read.", "100000"),
    ];

    public async Task<Report> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var points = options.Int("points", 1_000_000);
        var loadBatch = options.Int("load-batch", 10_000);
        var pageSize = options.Int("page-size", 100_000);
        var warmReads = options.Int("warm-reads", 3);
        var warmupPoints = options.Int("warmup-points", 100_000);

        var profile = options.Flag("perf");
        await using var tracking = await TrackingStack.StartAsync(context, cancellationToken, profile ? PerfProfiler.ServiceEnvironment : null);
        var restart = await PostgresRestart.FindAsync(tracking.PostgresConnectionString, cancellationToken);
        try
        {
            var (report, measuredRun) = await MeasureAsync(context, tracking, restart, points, loadBatch, pageSize, warmReads, warmupPoints, cancellationToken);
            if (profile)
            {
                report.Settings["profiling"] = "Tracking and the gateway ran with DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0 (for perf)";
                context.Log("Profiling one warm read with perf…");
                var tables = await PerfProfiler.ProfileAsync(
                    [("tracking", tracking.Service.ProcessId), ("gateway", tracking.Gateway.ProcessId)],
                    Path.Combine(context.WorkDirectory, "perf"),
                    () => ReadHistoryAsync(tracking, measuredRun, pageSize, cancellationToken),
                    cancellationToken);
                foreach (var table in tables)
                {
                    report.AddTable(table);
                }
            }

            return report;
        }
        finally
        {
            await restart.StopAsync();
        }
    }

    private static async Task<(Report Report, string MeasuredRun)> MeasureAsync(
        ScenarioContext context, TrackingStack tracking, PostgresRestart restart,
        int points, int loadBatch, int pageSize, int warmReads, int warmupPoints, CancellationToken cancellationToken)
    {
        var experiment = await tracking.CreateExperimentAsync("history", cancellationToken);
        var runs = await tracking.StartRunsAsync(experiment, 2, cancellationToken);
        var (measuredRun, warmupRun) = (runs[0], runs[1]);
        context.Log($"Loading {points:N0} points of '{Key}' through the gateway (LogMetrics, {loadBatch:N0} per call)…");
        var clock = Stopwatch.StartNew();
        await LoadAsync(tracking, measuredRun, points, loadBatch, seed: 1, cancellationToken);
        context.Log($"  loaded in {clock.Elapsed.TotalSeconds:0.0} s ({points / clock.Elapsed.TotalSeconds:N0} points/s); warm-up series of {warmupPoints:N0} points…");
        await LoadAsync(tracking, warmupRun, warmupPoints, loadBatch, seed: 2, cancellationToken);

        var sql = new SqlReads(tracking.PostgresConnectionString);
        var (seriesId, chunkRows) = await sql.SeriesAsync(measuredRun, cancellationToken);
        var (warmupSeriesId, _) = await sql.SeriesAsync(warmupRun, cancellationToken);
        context.Log($"Series {seriesId}: {chunkRows} chunk rows. Copying the same points into the row-per-point table…");
        await sql.CreateRowTableAsync(seriesId, warmupSeriesId, cancellationToken);

        var paths = new (string Id, string Name, Func<bool, Task<long>> Read)[]
        {
            ("rows", $"ceiling: row-per-point table, {points:N0} rows in step order (btree (run, key, step))", warmup =>
                sql.ReadRowsAsync(warmup ? RowTableWarmupRun : RowTableRun, cancellationToken)),
            ("chunks", "ceiling: raw SQL read of the same chunk rows", warmup =>
                sql.ReadChunksAsync(warmup ? warmupSeriesId : seriesId, cancellationToken)),
            ("gateway", "GetMetricHistory, all pages, through gateway", warmup =>
                ReadHistoryAsync(tracking, warmup ? warmupRun : measuredRun, pageSize, cancellationToken)),
        };
        var expected = new Dictionary<bool, long> { [false] = points, [true] = warmupPoints };

        async Task<double> TimeAsync(Func<bool, Task<long>> read, bool warmup)
        {
            var start = Stopwatch.GetTimestamp();
            var read1 = await read(warmup);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (read1 != expected[warmup])
            {
                throw new InvalidOperationException($"Read {read1} points, expected {expected[warmup]}.");
            }

            return seconds;
        }

        var cold = paths.ToDictionary(p => p.Id, _ => new List<double>());
        var warm = paths.ToDictionary(p => p.Id, _ => new List<double>());
        var residentAfterEviction = new List<double>();
        var warmCpu = paths.ToDictionary(p => p.Id, _ => new List<double[]>());
        for (var run = 1; run <= context.Runs; run++)
        {
            foreach (var (id, name, read) in paths)
            {
                var evicted = await restart.RestartColdAsync(cancellationToken);
                var resident = restart.ResidentBytes();
                residentAfterEviction.Add(resident / (double)(1 << 20));
                if (id == "gateway")
                {
                    // Its connections died with the server: a fresh process, whose JIT is warmed on the other series.
                    await tracking.RestartTrackingAsync(cancellationToken);
                }

                for (var i = 0; i < 3; i++)
                {
                    await TimeAsync(read, warmup: true);
                }

                var coldSeconds = await TimeAsync(read, warmup: false);
                cold[id].Add(coldSeconds);
                var warmSeconds = new List<double>();
                var meter = CpuMeter.Start(tracking.Stack.Processes);
                for (var i = 0; i < warmReads; i++)
                {
                    warmSeconds.Add(await TimeAsync(read, warmup: false));
                }

                var cpu = meter.Stop();
                warmCpu[id].Add([.. s_cpuColumns.Select(name => cpu.Processes.GetValueOrDefault(name).TotalSeconds / warmReads), cpu.Others.TotalSeconds / warmReads, cpu.Idle / cpu.MachineTotal]);

                warm[id].Add(Statistics.Median(warmSeconds));
                context.Log($"run {run}, {name}: cold {coldSeconds:0.000} s, warm {Statistics.Median(warmSeconds):0.000} s " +
                            $"(evicted {evicted / (double)(1 << 20):0} MiB, {resident / (double)(1 << 20):0.0} MiB resident after)");
            }
        }

        var report = new Report();
        report.Settings["series"] = $"{points:N0} points of one key, loaded by LogMetrics in calls of {loadBatch:N0} → {chunkRows} chunk rows";
        report.Settings["reading"] = $"GetMetricHistory pages of {pageSize:N0} points, each page requested after the previous one arrived";
        report.Settings["cold"] = "first read after `pg_ctl restart -m fast` (empty shared buffers) and posix_fadvise(DONTNEED) on every file of the data directory (out of the OS page cache); for the gateway path also a fresh Tracking process warmed up on another series";
        var rowsWarm = report.Add("rows/warm", paths[0].Name + ", warm", "s", warm["rows"]);
        var chunksWarm = report.Add("chunks/warm", paths[1].Name + ", warm", "s", warm["chunks"]);
        var gatewayWarm = report.Add("gateway/warm", paths[2].Name + ", warm", "s", warm["gateway"], [chunksWarm.Id, rowsWarm.Id]);
        var rowsCold = report.Add("rows/cold", paths[0].Name + ", cold", "s", cold["rows"]);
        var chunksCold = report.Add("chunks/cold", paths[1].Name + ", cold", "s", cold["chunks"]);
        var gatewayCold = report.Add("gateway/cold", paths[2].Name + ", cold", "s", cold["gateway"], [chunksCold.Id, rowsCold.Id]);
        report.Add("resident", "  data directory still in page cache right after eviction", "MiB", residentAfterEviction);
        report.AddTable(new Table(
            "Goal: under 1 s warm (cold reported too)",
            ["figure", "seconds (median)", "goal met?"],
            [
                [gatewayWarm.Name, Units.Number(gatewayWarm.Median), gatewayWarm.Median < 1 ? "yes" : "no"],
                [gatewayCold.Name, Units.Number(gatewayCold.Median), "(no goal)"],
            ]));
        report.AddTable(new Table(
            "CPU seconds per warm read by process (PostgreSQL is among 'others'), machine idle — medians",
            ["path", .. s_cpuColumns, "others", "machine idle"],
            [.. paths.Select(p => (IReadOnlyList<string>)
            [
                p.Id,
                .. Enumerable.Range(0, s_cpuColumns.Length + 1).Select(c => Units.Number(Statistics.Median([.. warmCpu[p.Id].Select(v => v[c])]))),
                Units.Percent(Statistics.Median([.. warmCpu[p.Id].Select(v => v[^1])])),
            ])]));
        report.Note("Figures are seconds (lower is better), so 'ratio to ceiling' above 100 % means slower than the ceiling.");
        report.Note("The raw reads run in the benchmark process on one connection with Npgsql's binary protocol and materialise every value (arrays for chunks, three columns per row for the row table).");
        report.Note("Cold is as cold as this VM allows: the host may still cache the virtual disk.");
        return (report, measuredRun);
    }

    private static async Task LoadAsync(TrackingStack tracking, string runId, int points, int batch, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var offset = 0; offset < points; offset += batch)
        {
            var request = new LogMetricsRequest { RunId = runId };
            for (var step = offset; step < Math.Min(points, offset + batch); step++)
            {
                request.Points.Add(new MetricPoint { Key = Key, Step = step, TimestampMs = start + step, Value = random.NextDouble() });
            }

            await tracking.Client.LogMetricsAsync(request, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Every page until there is no next one; checks the steps come in order.</summary>
    private static async Task<long> ReadHistoryAsync(TrackingStack tracking, string runId, int pageSize, CancellationToken cancellationToken)
    {
        long count = 0;
        var lastStep = long.MinValue;
        var token = "";
        do
        {
            var page = await TrackingStack.RetryAsync(() => tracking.Client.GetMetricHistoryAsync(
                new GetMetricHistoryRequest { RunId = runId, Key = Key, PageSize = pageSize, PageToken = token }, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
            if (page.Steps.Count != page.Values.Count || page.Steps.Count != page.TimestampsMs.Count || (page.Steps.Count > 0 && page.Steps[0] < lastStep))
            {
                throw new InvalidOperationException("GetMetricHistory returned a malformed or out-of-order page.");
            }

            count += page.Steps.Count;
            lastStep = page.Steps.Count > 0 ? page.Steps[^1] : lastStep;
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return count;
    }

    /// <summary>The ceilings: SQL straight against the stack's PostgreSQL from this process.</summary>
    private sealed class SqlReads(string connectionString)
    {
        public async Task<(long SeriesId, long ChunkRows)> SeriesAsync(string runId, CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("""
                SELECT s.series_id, (SELECT count(*) FROM tracking.metric_chunks c WHERE c.series_id = s.series_id)
                FROM tracking.metric_series s JOIN tracking.runs r USING (run_no)
                WHERE r.run_id = $1 AND s.key = $2
                """, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Key });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? (reader.GetInt64(0), reader.GetInt64(1))
                : throw new InvalidOperationException($"No series '{Key}' for run {runId}.");
        }

        /// <summary>The same points, one row each, copied out of the chunks (binary COPY out and in), then indexed and analysed.</summary>
        public async Task CreateRowTableAsync(long seriesId, long warmupSeriesId, CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using (var command = new NpgsqlCommand($"""
                DROP TABLE IF EXISTS bench_history_rows;
                CREATE TABLE bench_history_rows (run bigint NOT NULL, key text NOT NULL, step bigint NOT NULL, ts bigint NOT NULL, value double precision NOT NULL);
                INSERT INTO bench_history_rows
                SELECT CASE c.series_id WHEN {seriesId} THEN {RowTableRun} ELSE {RowTableWarmupRun} END, '{Key}', p.step, p.ts, p.value
                FROM tracking.metric_chunks c, unnest(c.steps, c.timestamps_ms, c.metric_values) AS p(step, ts, value)
                WHERE c.series_id IN ({seriesId}, {warmupSeriesId})
                ORDER BY 1, p.step;
                CREATE INDEX bench_history_rows_key ON bench_history_rows (run, key, step);
                """, connection))
            {
                command.CommandTimeout = 600;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            // Alone: VACUUM refuses to run in a batch. It also sets the visibility map, as autovacuum would.
            await using (var vacuum = new NpgsqlCommand("VACUUM ANALYZE bench_history_rows", connection) { CommandTimeout = 600 })
            {
                await vacuum.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        public async Task<long> ReadRowsAsync(long run, CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT step, ts, value FROM bench_history_rows WHERE run = $1 AND key = $2 ORDER BY step", connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = run });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Key });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            long count = 0;
            double sum = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                sum += reader.GetInt64(0) + reader.GetInt64(1) + reader.GetDouble(2);
                count++;
            }

            GC.KeepAlive(sum);
            return count;
        }

        public async Task<long> ReadChunksAsync(long seriesId, CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "SELECT steps, timestamps_ms, metric_values FROM tracking.metric_chunks WHERE series_id = $1 ORDER BY first_step, chunk_id", connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seriesId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            long count = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                var steps = await reader.GetFieldValueAsync<long[]>(0, cancellationToken);
                var timestamps = await reader.GetFieldValueAsync<long[]>(1, cancellationToken);
                var values = await reader.GetFieldValueAsync<double[]>(2, cancellationToken);
                count += Math.Min(steps.Length, Math.Min(timestamps.Length, values.Length));
            }

            return count;
        }
    }
}
