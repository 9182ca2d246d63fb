using System.Diagnostics;
using System.Globalization;
using MlPlatform.Api.Deployments.V1;
using MlPlatform.Api.Tracking.V1;
using MlPlatform.Benchmarks.Harness;
using Npgsql;

namespace MlPlatform.Benchmarks.Scenarios;

/// <summary>
/// Issue 4, search: 100 000 runs with 10 metrics and 10 params each, loaded through the gateway
/// with the service's own API (StartRun, LogParams, LogMetrics per run, many runs at once), then
/// SearchRuns with a filter holding an OR, ordered by a metric: latency of the first page, one
/// caller, p50 and p95 over ≥ 20 queries per run. The ceiling, measured in the same run through
/// the same gateway: the bare unary echo (GrpcEchoScenario's empty call to an in-process sink).
/// </summary>
internal sealed class TrackingSearchScenario : IScenario
{
    private const double GoalMilliseconds = 100;
    private const int Metrics = 10;
    private const int Params = 10;

    /// <summary>
    /// Other query shapes on the same runs, without a goal: a search should stay fast when the
    /// filter is narrow, matches nothing, or the order is the default one.
    /// </summary>
    private static readonly (string Id, string Name, string Filter, string OrderBy, bool Empty)[] s_shapes =
    [
        ("narrow-or", "narrow OR (≈ 1 % of runs), ordered by a metric", "metrics.m1 > 0.999 OR params.p2 = 'v5'", "metrics.m3 DESC", false),
        ("no-match", "OR that matches no run, ordered by a metric", "metrics.m1 > 2 OR params.p2 = 'none'", "metrics.m3 DESC", true),
        ("default-order", "the OR filter in the default order (newest first)", "metrics.m1 > 0.5 OR params.p2 = 'x'", "", false),
    ];

    public string Name => "tracking-search";

    public string Summary => "SearchRuns (filter with OR, order by a metric) over 100 000 runs through the gateway vs bare unary echo";

    public IReadOnlyList<OptionSpec> Options =>
    [
        new("runs-total", "Runs to search over, before --scale.", "100000"),
        new("scale", "Fraction of --runs-total to load (e.g. 0.1 for a quick look); the report says what was loaded.", "1"),
        new("load-concurrency", "Runs loaded at once (each: StartRun, LogParams, LogMetrics).", "16"),
        new("queries", "Measured queries per run (after 5 unmeasured).", "30"),
        new("filter", "The filter.", "metrics.m1 > 0.5 OR params.p2 = 'x'"),
        new("order-by", "The order.", "metrics.m3 DESC"),
        new("page-size", "Runs per page (0: the service's default, 100).", "0"),
        new("echo-calls", "Echo calls per run for the ceiling (after 200 unmeasured).", "500"),
    ];

    public async Task<Report> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var scale = double.Parse(options.Get("scale") ?? "1", CultureInfo.InvariantCulture);
        var total = (int)Math.Round(options.Int("runs-total", 100_000) * scale);
        var concurrency = options.Int("load-concurrency", 16);
        var queries = options.Int("queries", 30);
        var filter = options.Get("filter") ?? "metrics.m1 > 0.5 OR params.p2 = 'x'";
        var orderBy = options.Get("order-by") ?? "metrics.m3 DESC";
        var pageSize = options.Int("page-size", 0);
        var echoCalls = options.Int("echo-calls", 500);
        if (queries < 20)
        {
            throw new ArgumentException("--queries must be at least 20 for a p95.");
        }

        await using var tracking = await TrackingStack.StartAsync(context, cancellationToken);
        var experiment = await tracking.CreateExperimentAsync("search", cancellationToken);

        context.Log($"Loading {total:N0} runs × ({Metrics} metrics + {Params} params) through the gateway, {concurrency} at a time…");
        var loadClock = Stopwatch.StartNew();
        await LoadAsync(context, tracking, experiment, total, concurrency, cancellationToken);
        var loadSeconds = loadClock.Elapsed.TotalSeconds;
        context.Log($"  loaded in {loadSeconds:0} s ({total / loadSeconds:0} runs/s). VACUUM ANALYZE of the search tables (what autovacuum does after a bulk load)…");
        await VacuumAnalyzeAsync(tracking.PostgresConnectionString, cancellationToken);

        // The content check knows the default query only; a custom one is checked for a full page.
        var checkContent = options.Get("filter") is null && options.Get("order-by") is null;
        var request = new SearchRunsRequest { Experiments = { experiment }, Filter = filter, OrderBy = orderBy, PageSize = pageSize };
        context.Log("Warming up…");
        for (var i = 0; i < 5; i++)
        {
            Verify(await tracking.Client.SearchRunsAsync(request, cancellationToken: cancellationToken), pageSize, checkContent);
        }

        await EchoAsync(tracking, 200, cancellationToken);

        var search = new List<(double P50, double P95)>();
        var echo = new List<(double P50, double P95)>();
        var shapes = s_shapes.ToDictionary(shape => shape.Id, _ => new List<double>());
        for (var run = 1; run <= context.Runs; run++)
        {
            var echoLatencies = await EchoAsync(tracking, echoCalls, cancellationToken);
            echo.Add((Statistics.Percentile(echoLatencies, 0.50) / 1000, Statistics.Percentile(echoLatencies, 0.95) / 1000));
            var latencies = new long[queries];
            for (var i = 0; i < queries; i++)
            {
                var start = Stopwatch.GetTimestamp();
                var response = await tracking.Client.SearchRunsAsync(request, cancellationToken: cancellationToken);
                latencies[i] = (long)(Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1000);
                Verify(response, pageSize, checkContent);
            }

            Array.Sort(latencies);
            search.Add((Statistics.Percentile(latencies, 0.50) / 1000, Statistics.Percentile(latencies, 0.95) / 1000));
            context.Log($"run {run}: search p50 {search[^1].P50:0.0} ms, p95 {search[^1].P95:0.0} ms; echo p50 {echo[^1].P50:0.00} ms, p95 {echo[^1].P95:0.00} ms");
            foreach (var shape in s_shapes)
            {
                var shapeRequest = new SearchRunsRequest { Experiments = { experiment }, Filter = shape.Filter, OrderBy = shape.OrderBy, PageSize = pageSize };
                var shapeLatencies = new long[queries];
                for (var i = 0; i < queries; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    var response = await tracking.Client.SearchRunsAsync(shapeRequest, cancellationToken: cancellationToken);
                    shapeLatencies[i] = (long)(Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1000);
                    VerifyCount(response, shape.Empty ? 0 : pageSize == 0 ? 100 : pageSize, shape.Id);
                }

                Array.Sort(shapeLatencies);
                shapes[shape.Id].Add(Statistics.Percentile(shapeLatencies, 0.50) / 1000);
                context.Log($"  {shape.Id}: p50 {shapes[shape.Id][^1]:0.0} ms");
            }
        }

        var report = new Report();
        report.Settings["runs"] = $"{total:N0} runs in one experiment (--runs-total × --scale = {options.Int("runs-total", 100_000):N0} × {scale.ToString(CultureInfo.InvariantCulture)}), each {Metrics} metrics (one point) and {Params} params; m* uniform in [0, 1), p2 = 'x' for every 10th run";
        report.Settings["load"] = $"through the gateway, StartRun + LogParams + LogMetrics per run, {concurrency} runs at a time: {loadSeconds:0} s, {total / loadSeconds:0} runs/s";
        report.Settings["query"] = $"filter \"{filter}\", order_by \"{orderBy}\", page size {(pageSize == 0 ? "default (100)" : pageSize)}; one caller, first page only";
        var echoP50 = report.Add("echo/p50", "ceiling: bare unary echo through the same gateway, p50", "ms", echo.Select(e => e.P50));
        var echoP95 = report.Add("echo/p95", "ceiling: bare unary echo through the same gateway, p95", "ms", echo.Select(e => e.P95));
        var p50 = report.Add("search/p50", "SearchRuns first page through gateway, p50", "ms", search.Select(s => s.P50), [echoP50.Id]);
        var p95 = report.Add("search/p95", "SearchRuns first page through gateway, p95", "ms", search.Select(s => s.P95), [echoP95.Id]);
        foreach (var shape in s_shapes)
        {
            report.Add($"shape/{shape.Id}/p50", $"SearchRuns, {shape.Name} (\"{shape.Filter}\"), p50", "ms", shapes[shape.Id], [echoP50.Id]);
        }

        report.AddTable(new Table(
            "Goal: p50 under 100 ms for the first page",
            ["figure", "ms (median of runs)", "goal met?"],
            [
                [p50.Name, Units.Number(p50.Median), p50.Median < GoalMilliseconds ? "yes" : "no"],
                [p95.Name, Units.Number(p95.Median), "(no goal)"],
            ]));
        report.Note($"Per run: {queries} measured queries (p50/p95 by nearest rank) and {echoCalls} echo calls; the figures are medians over runs. Latency figures: 'ratio to ceiling' is how many echo round trips a search costs.");
        if (scale < 1)
        {
            report.Note($"Scaled run: {total:N0} of {options.Int("runs-total", 100_000):N0} runs. Search cost grows with the runs each filter term matches (each becomes a hash of run numbers before the index walk), so the full-size figure is higher.");
        }

        return report;
    }

    private static async Task LoadAsync(ScenarioContext context, TrackingStack tracking, string experiment, int total, int concurrency, CancellationToken cancellationToken)
    {
        var next = -1;
        var done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var run = await TrackingStack.RetryAsync(() => tracking.Client.StartRunAsync(
                    new StartRunRequest { Experiment = experiment, RunName = $"run-{i}" }, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
                var parameters = new LogParamsRequest { RunId = run.RunId };
                for (var p = 0; p < Params; p++)
                {
                    parameters.Params[$"p{p}"] = p switch
                    {
                        2 => i % 10 == 0 ? "x" : $"v{i % 97}",
                        _ when p % 2 == 0 => random.Next(1000).ToString(CultureInfo.InvariantCulture),
                        _ => $"value-{random.Next(50)}",
                    };
                }

                await tracking.Client.LogParamsAsync(parameters, cancellationToken: cancellationToken);
                var metrics = new LogMetricsRequest { RunId = run.RunId };
                for (var m = 0; m < Metrics; m++)
                {
                    metrics.Points.Add(new MetricPoint { Key = $"m{m}", Step = 0, Value = random.NextDouble() });
                }

                await tracking.Client.LogMetricsAsync(metrics, cancellationToken: cancellationToken);
                var count = Interlocked.Increment(ref done);
                if (count % 10_000 == 0)
                {
                    context.Log($"  {count:N0} runs ({count / clock.Elapsed.TotalSeconds:0} runs/s)");
                }
            }
        }, cancellationToken)));
    }

    private static async Task VacuumAnalyzeAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // One statement per command: VACUUM refuses to run in a batch.
        foreach (var table in (string[])["tracking.runs", "tracking.run_params", "tracking.metric_series"])
        {
            await using var command = new NpgsqlCommand($"VACUUM ANALYZE {table}", connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Echo latencies in µs, sorted.</summary>
    private static async Task<long[]> EchoAsync(TrackingStack tracking, int calls, CancellationToken cancellationToken)
    {
        var latencies = new long[calls];
        var request = new ListEndpointsRequest();
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await tracking.Echo.ListEndpointsAsync(request, cancellationToken: cancellationToken);
            latencies[i] = (long)(Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1000);
        }

        Array.Sort(latencies);
        return latencies;
    }

    private static void VerifyCount(SearchRunsResponse response, int expected, string shape)
    {
        if (response.Runs.Count != expected)
        {
            throw new InvalidOperationException($"SearchRuns answered {response.Runs.Count} runs instead of {expected} for the {shape} query.");
        }
    }

    /// <summary>A full first page, every run matching the filter, in descending order of m3.</summary>
    private static void Verify(SearchRunsResponse response, int pageSize, bool checkContent)
    {
        var expected = pageSize == 0 ? 100 : pageSize;
        var problem = response.Runs.Count != expected ? $"{response.Runs.Count} runs instead of {expected}" : null;
        var previous = double.PositiveInfinity;
        foreach (var run in checkContent ? response.Runs : [])
        {
            var metrics = run.LatestMetrics.ToDictionary(m => m.Key, m => m.Value);
            var m3 = metrics.GetValueOrDefault("m3", double.NaN);
            if (!(metrics.GetValueOrDefault("m1") > 0.5 || run.Params.GetValueOrDefault("p2") == "x"))
            {
                problem ??= $"run {run.RunId} does not match the filter";
            }

            if (m3 > previous)
            {
                problem ??= "runs are not in descending order of m3";
            }

            previous = m3;
        }

        if (problem is not null)
        {
            throw new InvalidOperationException("SearchRuns answered wrongly: " + problem);
        }
    }
}
