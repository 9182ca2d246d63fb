using Grpc.Core;
using MlPlatform.Api.Tracking.V1;
using TrackingClient = MlPlatform.Api.Tracking.V1.Tracking.TrackingClient;

namespace MlPlatform.Tracking.Tests.Metrics;

public sealed class MetricTests(TrackingFactory factory) : IClassFixture<TrackingFactory>
{
    private readonly TrackingClient _client = factory.Client;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_is_stored_and_each_keys_latest_point_shows_on_the_run()
    {
        var run = await _client.NewRunAsync();
        var logged = await _client.LogAsync(run.RunId, ("loss", 0.9, 1), ("acc", 0.5, 1), ("loss", 0.4, 3), ("loss", 0.6, 2), ("acc", 0.7, 2));

        Assert.Equal(5, logged.PointsLogged);
        var latest = (await _client.GetAsync(run.RunId)).LatestMetrics.ToDictionary(m => m.Key);
        Assert.Equal((0.4, 3L), (latest["loss"].Value, latest["loss"].Step));
        Assert.Equal((0.7, 2L), (latest["acc"].Value, latest["acc"].Step));
    }

    [Fact]
    public async Task History_is_in_step_order_at_full_fidelity_including_NaN_and_infinities()
    {
        var run = await _client.NewRunAsync();
        await _client.LogAsync(run.RunId, ("loss", double.PositiveInfinity, 5), ("loss", 1.0, 1), ("loss", double.NaN, 3));
        await _client.LogAsync(run.RunId, ("loss", double.NegativeInfinity, 4), ("loss", 2.0, 2), ("loss", 2.5, 2));

        var history = await HistoryAsync(run.RunId, "loss");

        Assert.Equal([1L, 2, 2, 3, 4, 5], history.Steps);
        Assert.Equal([1.0, 2.0, 2.5, double.NaN, double.NegativeInfinity, double.PositiveInfinity], history.Values);
        Assert.Equal(history.Steps.Select(s => 1_700_000_000_000 + s), history.TimestampsMs);
        Assert.Empty(history.NextPageToken);
    }

    [Fact]
    public async Task Points_without_a_timestamp_get_the_time_they_arrive()
    {
        var run = await _client.NewRunAsync();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _client.LogMetricsAsync(new LogMetricsRequest { RunId = run.RunId, Points = { new MetricPoint { Key = "k", Value = 1, Step = 0 } } }, cancellationToken: Cancel);

        var stamp = Assert.Single((await HistoryAsync(run.RunId, "k")).TimestampsMs);
        Assert.InRange(stamp, before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Pages_of_history_follow_each_other_across_interleaved_batches()
    {
        var run = await _client.NewRunAsync();
        // Two writers' batches overlap in steps: the reader merges chunks.
        await _client.LogAsync(run.RunId, [.. Enumerable.Range(0, 50).Select(i => ("x", (double)i, (long)(i * 2)))]);
        await _client.LogAsync(run.RunId, [.. Enumerable.Range(0, 50).Select(i => ("x", (double)-i, (long)(i * 2 + 1)))]);
        await _client.LogAsync(run.RunId, [.. Enumerable.Range(0, 10).Select(i => ("x", 100.0 + i, (long)(i * 10)))]);

        var steps = new List<long>();
        var values = new List<double>();
        var request = new GetMetricHistoryRequest { RunId = run.RunId, Key = "x", PageSize = 7 };
        do
        {
            var page = await _client.GetMetricHistoryAsync(request, cancellationToken: Cancel);
            Assert.True(page.Steps.Count <= 7);
            steps.AddRange(page.Steps);
            values.AddRange(page.Values);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(110, steps.Count);
        Assert.Equal(steps.Order(), steps);
        Assert.Equal([0.0, 100.0], values[..2]); // equal steps keep the order they were logged in
        var full = await HistoryAsync(run.RunId, "x");
        Assert.Equal(steps, full.Steps);
        Assert.Equal(values, full.Values);
    }

    [Fact]
    public async Task Downsampling_keeps_the_shape_and_the_spikes()
    {
        var run = await _client.NewRunAsync();
        await _client.LogAsync(run.RunId, [.. Enumerable.Range(0, 1000).Select(i => ("y", i == 617 ? 1e6 : Math.Sin(i / 50.0), (long)i))]);

        var sampled = await _client.GetMetricHistoryAsync(new GetMetricHistoryRequest { RunId = run.RunId, Key = "y", MaxPoints = 100 }, cancellationToken: Cancel);

        Assert.InRange(sampled.Steps.Count, 50, 100);
        Assert.Equal(sampled.Steps.Order(), sampled.Steps);
        Assert.Contains(1e6, sampled.Values);
        Assert.Equal(0, sampled.Steps[0]);
        Assert.Empty(sampled.NextPageToken);

        var small = await _client.GetMetricHistoryAsync(new GetMetricHistoryRequest { RunId = run.RunId, Key = "y", MaxPoints = 5000 }, cancellationToken: Cancel);
        Assert.Equal(1000, small.Steps.Count);
    }

    [Fact]
    public async Task A_key_never_logged_has_an_empty_history_but_an_unknown_run_is_not_found()
    {
        var run = await _client.NewRunAsync();
        Assert.Empty((await HistoryAsync(run.RunId, "never")).Steps);
        await Expect.Status(StatusCode.NotFound, () => HistoryAsync("missing", "loss"));
    }

    [Theory]
    [InlineData(-1, 0, "", "page_size")]
    [InlineData(0, 1, "", "max_points")]
    [InlineData(0, 10, "abc", "max_points")]
    [InlineData(0, 0, "not-a-token", "page_token")]
    public async Task History_requests_are_checked(int pageSize, int maxPoints, string pageToken, string message)
    {
        var run = await _client.NewRunAsync();
        await Expect.Status(StatusCode.InvalidArgument, () => _client.GetMetricHistoryAsync(
            new GetMetricHistoryRequest { RunId = run.RunId, Key = "k", PageSize = pageSize, MaxPoints = maxPoints, PageToken = pageToken },
            cancellationToken: Cancel).ResponseAsync, message);
    }

    [Fact]
    public async Task Batches_are_limited_and_keys_checked()
    {
        var run = await _client.NewRunAsync();
        await _client.LogAsync(run.RunId, [.. Enumerable.Range(0, 10_000).Select(i => ("k", 1.0, (long)i))]);

        await Expect.Status(StatusCode.InvalidArgument, () => _client.LogAsync(run.RunId, [.. Enumerable.Range(0, 10_001).Select(i => ("k", 1.0, (long)i))]), "10000");
        await Expect.Status(StatusCode.InvalidArgument, () => _client.LogAsync(run.RunId, ("", 1, 1)), "no key");
        await Expect.Status(StatusCode.InvalidArgument, () => _client.LogAsync(run.RunId, (new string('m', 251), 1, 1)), "251");
        Assert.Equal(10_000, (await HistoryAsync(run.RunId, "k")).Steps.Count);
    }

    [Fact]
    public async Task Logging_to_an_ended_or_unknown_run_fails()
    {
        var run = await _client.NewRunAsync();
        await _client.EndAsync(run.RunId, RunStatus.Killed);

        await Expect.Status(StatusCode.FailedPrecondition, () => _client.LogAsync(run.RunId, ("loss", 1, 1)), "KILLED", "RUNNING");
        await Expect.Status(StatusCode.NotFound, () => _client.LogAsync("missing", ("loss", 1, 1)), "missing");
    }

    [Fact]
    public async Task A_stream_stores_every_point_it_carries()
    {
        var run = await _client.NewRunAsync();
        using var call = _client.StreamMetrics(cancellationToken: Cancel);
        for (var message = 0; message < 30; message++)
        {
            var points = Enumerable.Range(0, 1000).Select(i => new MetricPoint { Key = i % 2 == 0 ? "a" : "b", Value = i, Step = (message * 1000) + i, TimestampMs = 1 });
            await call.RequestStream.WriteAsync(new StreamMetricsRequest { RunId = message == 0 ? run.RunId : "", Points = { points } }, Cancel);
        }

        await call.RequestStream.CompleteAsync();
        Assert.Equal(30_000, (await call).PointsLogged);
        Assert.Equal(15_000, (await HistoryAsync(run.RunId, "a", pageSize: 100_000)).Steps.Count);
        Assert.Equal(29_999, (await _client.GetAsync(run.RunId)).LatestMetrics.Single(m => m.Key == "b").Step);
    }

    [Fact]
    public async Task A_quiet_stream_is_stored_without_waiting_for_its_end()
    {
        var run = await _client.NewRunAsync();
        using var call = _client.StreamMetrics(cancellationToken: Cancel);
        await call.RequestStream.WriteAsync(new StreamMetricsRequest { RunId = run.RunId, Points = { new MetricPoint { Key = "slow", Value = 1, Step = 1 } } }, Cancel);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await HistoryAsync(run.RunId, "slow")).Steps.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The buffered point was not stored while the stream stayed open.");
            await Task.Delay(100, Cancel);
        }

        await call.RequestStream.CompleteAsync();
        Assert.Equal(1, (await call).PointsLogged);
    }

    [Fact]
    public async Task A_stream_logs_to_one_run_and_stops_when_the_run_ended()
    {
        var first = await _client.NewRunAsync();
        var second = await _client.NewRunAsync();
        using (var call = _client.StreamMetrics(cancellationToken: Cancel))
        {
            await call.RequestStream.WriteAsync(new StreamMetricsRequest { RunId = first.RunId, Points = { new MetricPoint { Key = "k", Step = 1 } } }, Cancel);
            await call.RequestStream.WriteAsync(new StreamMetricsRequest { RunId = second.RunId, Points = { new MetricPoint { Key = "k", Step = 2 } } }, Cancel);
            await Expect.Status(StatusCode.InvalidArgument, async () => await call, "another stream");
        }

        await _client.EndAsync(second.RunId);
        using (var call = _client.StreamMetrics(cancellationToken: Cancel))
        {
            await call.RequestStream.WriteAsync(new StreamMetricsRequest { RunId = second.RunId, Points = { new MetricPoint { Key = "k", Step = 2 } } }, Cancel);
            await call.RequestStream.CompleteAsync();
            await Expect.Status(StatusCode.FailedPrecondition, async () => await call, "FINISHED");
        }
    }

    [Fact]
    public async Task Several_clients_logging_to_one_run_lose_nothing()
    {
        var run = await _client.NewRunAsync();
        var writers = Enumerable.Range(0, 6).Select(async writer =>
        {
            // Six concurrent clients write one shared key (interleaved steps) and one key each.
            var client = new Api.Tracking.V1.Tracking.TrackingClient(factory.Channel);
            for (var batch = 0; batch < 10; batch++)
            {
                await client.LogAsync(run.RunId, [.. Enumerable.Range(0, 200).SelectMany(i =>
                {
                    long step = (((batch * 200) + i) * 6) + writer;
                    return new[] { ("shared", (double)step, step), ($"own-{writer}", (double)step, step) };
                })]);
            }
        });
        await Task.WhenAll(writers);

        var shared = await HistoryAsync(run.RunId, "shared", pageSize: 100_000);
        Assert.Equal(Enumerable.Range(0, 12_000).Select(i => (long)i), shared.Steps);
        Assert.Equal(shared.Steps.Select(s => (double)s), shared.Values);
        var latest = (await _client.GetAsync(run.RunId)).LatestMetrics.ToDictionary(m => m.Key, m => m.Step);
        Assert.Equal(11_999, latest["shared"]);
        Assert.Equal(7, latest.Count);
    }

    [Fact]
    public async Task Ending_a_run_while_clients_log_leaves_no_point_after_the_end()
    {
        var run = await _client.NewRunAsync();
        var logged = 0L;
        var writer = Task.Run(async () =>
        {
            for (var step = 0L; ; step++)
            {
                try
                {
                    await _client.LogAsync(run.RunId, ("k", step, step));
                    Interlocked.Increment(ref logged);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
                {
                    return;
                }
            }
        }, Cancel);

        while (Interlocked.Read(ref logged) < 20)
        {
            await Task.Delay(10, Cancel);
        }

        var ended = await _client.EndAsync(run.RunId);
        await writer;

        // Every point that was accepted is in the history, and the run's final metrics saw the last one.
        var history = await HistoryAsync(run.RunId, "k", pageSize: 100_000);
        Assert.Equal(Interlocked.Read(ref logged), history.Steps.Count);
        Assert.Equal(history.Steps[^1], Assert.Single(ended.LatestMetrics).Step);
    }

    private Task<MetricHistory> HistoryAsync(string runId, string key, int pageSize = 0) =>
        _client.GetMetricHistoryAsync(new GetMetricHistoryRequest { RunId = runId, Key = key, PageSize = pageSize }, cancellationToken: Cancel).ResponseAsync;
}
