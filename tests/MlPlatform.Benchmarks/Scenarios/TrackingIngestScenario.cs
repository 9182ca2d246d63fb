using System.Diagnostics;
using MlPlatform.Api.Tracking.V1;
using MlPlatform.Benchmarks.Harness;
using Npgsql;
using NpgsqlTypes;

namespace MlPlatform.Benchmarks.Scenarios;

/// <summary>
/// Issue 4, ingest: metric points per second into Tracking through the real gateway, durably
/// stored (PostgreSQL with its default durability: every call's commit is fsynced), from 8
/// concurrent runs — with LogMetrics batches of 1 000 points (one call in flight per run, as a
/// training loop logs) and with StreamMetrics (one stream per run). Beside them, measured in the
/// same run against the same PostgreSQL, the naive layout's ceilings: the same points as one row
/// each (run, key, step, ts, value) by binary COPY, 8 writers, one COPY of a batch's points per
/// transaction, into a table with a btree on (run, key, step) and into one without an index.
/// </summary>
internal sealed class TrackingIngestScenario : IScenario
{
    private const double GoalPointsPerSecond = 200_000;

    public string Name => "tracking-ingest";

    public string Summary => "Metric points/s via LogMetrics (1 000/batch) and StreamMetrics, 8 runs, through the gateway vs row-per-point COPY";

    public IReadOnlyList<OptionSpec> Options =>
    [
        new("writers", "Concurrent runs (one writer each).", "8"),
        new("points", "Points per run and measurement.", "250000"),
        new("batch", "Points per LogMetrics call, per StreamMetrics message, and per COPY transaction of the ceilings.", "1000"),
        new("keys", "Metric keys per run; a batch holds batch/keys steps of every key.", "10"),
        new("warmup-points", "Points per run sent once on every path before measuring (JIT, connections).", "20000"),
    ];

    public async Task<Report> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var writers = options.Int("writers", 8);
        var points = options.Int("points", 250_000);
        var batch = options.Int("batch", 1000);
        var keyCount = options.Int("keys", 10);
        var warmupPoints = options.Int("warmup-points", 20_000);
        if (batch % keyCount != 0 || points % batch != 0)
        {
            throw new ArgumentException("--batch must be a multiple of --keys, and --points a multiple of --batch.");
        }

        var keys = Enumerable.Range(0, keyCount).Select(k => $"metric_{k}").ToArray();
        await using var tracking = await TrackingStack.StartAsync(context, cancellationToken);
        await using var dataSource = NpgsqlDataSource.Create(tracking.PostgresConnectionString);
        await CreateCeilingTablesAsync(dataSource, cancellationToken);
        var experiment = await tracking.CreateExperimentAsync("ingest", cancellationToken);

        var paths = new (string Id, string Name, Func<int, Task<IngestResult>> Run)[]
        {
            ("copy-unindexed", "ceiling: row-per-point binary COPY, no index", n => CopyAsync(dataSource, "bench_points_unindexed", writers, n, batch, keys, tracking, cancellationToken)),
            ("copy-indexed", "ceiling: row-per-point binary COPY, btree (run, key, step)", n => CopyAsync(dataSource, "bench_points_indexed", writers, n, batch, keys, tracking, cancellationToken)),
            ("log", $"LogMetrics, {batch} points per call, through gateway", async n =>
            {
                var runs = await tracking.StartRunsAsync(experiment, writers, cancellationToken);
                var result = await LogMetricsAsync(tracking, runs, n, batch, keys, cancellationToken);
                await VerifyAsync(dataSource, runs, (long)n * writers, cancellationToken);
                return result;
            }),
            ("stream", $"StreamMetrics, {batch} points per message, through gateway", async n =>
            {
                var runs = await tracking.StartRunsAsync(experiment, writers, cancellationToken);
                var result = await StreamMetricsAsync(tracking, runs, n, batch, keys, cancellationToken);
                await VerifyAsync(dataSource, runs, (long)n * writers, cancellationToken);
                return result;
            }),
        };

        context.Log($"Warming up every path ({writers} × {warmupPoints:N0} points)…");
        foreach (var path in paths)
        {
            await path.Run(warmupPoints);
        }

        var samples = paths.ToDictionary(p => p.Id, _ => new List<IngestResult>());
        for (var run = 1; run <= context.Runs; run++)
        {
            foreach (var (id, name, measure) in paths)
            {
                await TruncateCeilingTablesAsync(dataSource, cancellationToken);
                var result = await measure(points);
                samples[id].Add(result);
                context.Log($"run {run}, {name}: {result.PointsPerSecond:N0} points/s ({result.Elapsed.TotalSeconds:0.00} s)");
            }
        }

        var report = new Report();
        report.Settings["load"] = $"{writers} concurrent runs × {points:N0} points, {keyCount} keys per run, {batch} points per call/message/COPY, one call in flight per run";
        report.Settings["durability"] = "PostgreSQL 15 defaults (fsync, synchronous_commit, full_page_writes on): a call returns after its commit is on disk";
        report.Settings["ceiling tables"] = "(run bigint, key text, step bigint, ts bigint, value double precision); indexed: btree (run, key, step)";
        var unindexed = report.Add("copy-unindexed", paths[0].Name, "points/s", samples["copy-unindexed"].Select(r => r.PointsPerSecond));
        var indexed = report.Add("copy-indexed", paths[1].Name, "points/s", samples["copy-indexed"].Select(r => r.PointsPerSecond));
        var log = report.Add("log", paths[2].Name, "points/s", samples["log"].Select(r => r.PointsPerSecond), [indexed.Id, unindexed.Id]);
        var stream = report.Add("stream", paths[3].Name, "points/s", samples["stream"].Select(r => r.PointsPerSecond), [indexed.Id, unindexed.Id]);
        report.AddTable(new Table(
            "Goal: ≥ 200 000 points/s end to end",
            ["path", "points/s (median)", "goal met?"],
            [.. new[] { log, stream }.Select(f => (IReadOnlyList<string>)[f.Name, $"{f.Median:N0}", f.Median >= GoalPointsPerSecond ? "yes" : "no"])]));
        report.AddTable(CpuTable(paths.Select(p => (p.Id, samples[p.Id])), points * writers));
        report.Note("Each LogMetrics call and each COPY transaction of the ceilings is one durable commit; StreamMetrics commits every 10 000 points the service buffers (and at the end of the stream), and the figure counts until the stream's response, i.e. after the last commit.");
        report.Note("The ceilings run from the benchmark process straight to PostgreSQL (no gRPC, no gateway, no service); 8 COPY writers, each on its own connection.");
        return report;
    }

    private static async Task CreateCeilingTablesAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            CREATE TABLE IF NOT EXISTS bench_points_indexed (run bigint NOT NULL, key text NOT NULL, step bigint NOT NULL, ts bigint NOT NULL, value double precision NOT NULL);
            CREATE INDEX IF NOT EXISTS bench_points_indexed_key ON bench_points_indexed (run, key, step);
            CREATE TABLE IF NOT EXISTS bench_points_unindexed (run bigint NOT NULL, key text NOT NULL, step bigint NOT NULL, ts bigint NOT NULL, value double precision NOT NULL);
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task TruncateCeilingTablesAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("TRUNCATE bench_points_indexed, bench_points_unindexed; CHECKPOINT;");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IngestResult> LogMetricsAsync(
        TrackingStack tracking, string[] runs, int points, int batch, string[] keys, CancellationToken cancellationToken)
    {
        var meter = CpuMeter.Start(tracking.Stack.Processes);
        var start = Stopwatch.GetTimestamp();
        var logged = await Task.WhenAll(runs.Select((runId, writer) => Task.Run(async () =>
        {
            // One request per run, refilled in place after each call: the client allocates nothing per point.
            var request = new LogMetricsRequest { RunId = runId };
            request.Points.AddRange(Enumerable.Range(0, batch).Select(_ => new MetricPoint()));
            var random = new Random(writer);
            long total = 0;
            for (var offset = 0; offset < points; offset += batch)
            {
                Fill(request.Points, offset, keys, random);
                total += (await tracking.Client.LogMetricsAsync(request, cancellationToken: cancellationToken)).PointsLogged;
            }

            return total;
        }, cancellationToken)));
        var elapsed = Stopwatch.GetElapsedTime(start);
        Check(logged.Sum() == (long)points * runs.Length, $"LogMetrics logged {logged.Sum()} of {(long)points * runs.Length} points");
        return new IngestResult((long)points * runs.Length, elapsed, meter.Stop());
    }

    private static async Task<IngestResult> StreamMetricsAsync(
        TrackingStack tracking, string[] runs, int points, int batch, string[] keys, CancellationToken cancellationToken)
    {
        var meter = CpuMeter.Start(tracking.Stack.Processes);
        var start = Stopwatch.GetTimestamp();
        var logged = await Task.WhenAll(runs.Select((runId, writer) => Task.Run(async () =>
        {
            using var call = tracking.Client.StreamMetrics(cancellationToken: cancellationToken);
            // The message is serialised by WriteAsync before it returns, so it can be refilled.
            var message = new StreamMetricsRequest { RunId = runId };
            message.Points.AddRange(Enumerable.Range(0, batch).Select(_ => new MetricPoint()));
            var random = new Random(writer);
            for (var offset = 0; offset < points; offset += batch)
            {
                Fill(message.Points, offset, keys, random);
                await call.RequestStream.WriteAsync(message, cancellationToken);
            }

            await call.RequestStream.CompleteAsync();
            return (await call.ResponseAsync).PointsLogged;
        }, cancellationToken)));
        var elapsed = Stopwatch.GetElapsedTime(start);
        Check(logged.Sum() == (long)points * runs.Length, $"StreamMetrics logged {logged.Sum()} of {(long)points * runs.Length} points");
        return new IngestResult((long)points * runs.Length, elapsed, meter.Stop());
    }

    private static async Task<IngestResult> CopyAsync(
        NpgsqlDataSource dataSource, string table, int writers, int points, int batch, string[] keys, TrackingStack tracking, CancellationToken cancellationToken)
    {
        var meter = CpuMeter.Start(tracking.Stack.Processes);
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var random = new Random(writer);
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var offset = 0; offset < points; offset += batch)
            {
                // One COPY per batch, each its own (durable) transaction, as LogMetrics commits each call.
                await using var importer = await connection.BeginBinaryImportAsync(
                    $"COPY {table} (run, key, step, ts, value) FROM STDIN (FORMAT BINARY)", cancellationToken);
                for (var i = 0; i < batch; i++)
                {
                    var step = (offset + i) / keys.Length;
                    // Synchronous writes into the importer's buffer: the cheapest client there is.
#pragma warning disable CA1849 // deliberate: async per value would make the ceiling measure the client
                    importer.StartRow();
                    importer.Write((long)writer, NpgsqlDbType.Bigint);
                    importer.Write(keys[i % keys.Length], NpgsqlDbType.Text);
                    importer.Write((long)step, NpgsqlDbType.Bigint);
                    importer.Write(timestamp + step, NpgsqlDbType.Bigint);
                    importer.Write(random.NextDouble(), NpgsqlDbType.Double);
#pragma warning restore CA1849
                }

                await importer.CompleteAsync(cancellationToken);
            }
        }, cancellationToken)));
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new IngestResult((long)points * writers, elapsed, meter.Stop());
    }

    /// <summary>Points offset … offset+batch of a run: batch/keys steps, every key once per step.</summary>
    private static void Fill(Google.Protobuf.Collections.RepeatedField<MetricPoint> batch, int offset, string[] keys, Random random)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < batch.Count; i++)
        {
            var point = batch[i];
            point.Key = keys[i % keys.Length];
            point.Step = (offset + i) / keys.Length;
            point.TimestampMs = timestamp;
            point.Value = random.NextDouble();
        }
    }

    /// <summary>Every point is stored: the series' point counts add up.</summary>
    private static async Task VerifyAsync(NpgsqlDataSource dataSource, string[] runs, long expected, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT coalesce(sum(c.point_count), 0)::bigint
            FROM tracking.metric_chunks c
            JOIN tracking.metric_series s USING (series_id)
            JOIN tracking.runs r USING (run_no)
            WHERE r.run_id = ANY($1)
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = runs });
        var stored = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        Check(stored == expected, $"{stored} points stored in chunks, {expected} sent");
    }

    private static Table CpuTable(IEnumerable<(string Id, List<IngestResult> Results)> paths, long pointsPerMeasurement)
    {
        var rows = new List<IReadOnlyList<string>>();
        var processes = new[] { "benchmark (client + sinks)", "tracking", "gateway" };
        foreach (var (id, results) in paths)
        {
            rows.Add(
            [
                id,
                .. processes.Select(name => Units.Number(Statistics.Median([.. results.Select(r =>
                    r.Cpu.Processes.GetValueOrDefault(name).TotalMicroseconds / (pointsPerMeasurement / 1000.0))]))),
                Units.Number(Statistics.Median([.. results.Select(r => r.Cpu.Cores(r.Cpu.Others))])),
                Units.Percent(Statistics.Median([.. results.Select(r => r.Cpu.Idle / r.Cpu.MachineTotal)])),
            ]);
        }

        return new Table(
            "CPU per 1 000 points (µs) by process (PostgreSQL is among 'others'), other processes' cores, machine idle — medians",
            ["path", .. processes, "others (cores)", "machine idle"],
            rows);
    }

    private static void Check(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Ingest result is wrong: " + problem);
        }
    }

    private sealed record IngestResult(long Points, TimeSpan Elapsed, CpuUsage Cpu)
    {
        public double PointsPerSecond => Points / Elapsed.TotalSeconds;
    }
}
